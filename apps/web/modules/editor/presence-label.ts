import type { PresenceUserDto } from "@devflow/contracts";

/** How someone in the document is named: "Alice", or "Claude via MCP, for Alice" when an agent types for her. */
export function presenceLabel(user: PresenceUserDto): string {
  return user.agent ? `${user.agent}, for ${user.name}` : user.name;
}

/** One avatar per person, and one per agent acting for them: Alice and Claude-for-Alice are both shown. */
export function presenceKey(user: PresenceUserDto): string {
  return user.agent ? `${user.id}:${user.agent}` : user.id;
}
