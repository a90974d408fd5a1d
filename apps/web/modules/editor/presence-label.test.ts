import { describe, expect, it } from "vitest";
import { presenceKey, presenceLabel } from "./presence-label";

const alice = { id: "8c5e1f0a-3b1d-4c8e-9f2a-1b2c3d4e5f60", name: "Alice", avatarUrl: null };

describe("presence labels", () => {
  it("names a person by their name, and an agent as acting for them", () => {
    expect(presenceLabel(alice)).toBe("Alice");
    expect(presenceLabel({ ...alice, agent: "Claude via MCP" })).toBe("Claude via MCP, for Alice");
  });

  it("tells a person and an agent acting for them apart", () => {
    expect(presenceKey(alice)).not.toBe(presenceKey({ ...alice, agent: "Claude via MCP" }));
  });
});
