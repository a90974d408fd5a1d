import type { RemotePresence } from "@devflow/web-data-access";
import { Avatar } from "@devflow/web-ui";
import { presenceKey, presenceLabel } from "./presence-label";

/** Who else has the document open, once per person (and per agent acting for one), ringed in the colour of their cursor. */
export function PresenceAvatars({ presence }: { presence: readonly RemotePresence[] }) {
  const people = new Map<string, RemotePresence>();
  for (const entry of presence) if (!people.has(presenceKey(entry.user))) people.set(presenceKey(entry.user), entry);
  const names = [...people.values()].map((p) => presenceLabel(p.user));
  return (
    <ul
      className="collab-presence"
      data-testid="presence-avatars"
      aria-label={names.length === 0 ? "Nobody else is here" : `Also here: ${names.join(", ")}`}
    >
      {[...people.entries()].map(([key, { user, colour }]) => (
        <li
          key={key}
          className="collab-presence__person"
          title={presenceLabel(user)}
          data-agent={user.agent}
          style={{ boxShadow: `0 0 0 2px ${colour}` }}
        >
          <Avatar name={user.name} imageUrl={user.avatarUrl} size={24} />
        </li>
      ))}
    </ul>
  );
}
