import type { RemotePresence } from "@devflow/web-data-access";
import { Avatar } from "@devflow/web-ui";

/** Who else has the document open, once per person, ringed in the colour of their cursor. */
export function PresenceAvatars({ presence }: { presence: readonly RemotePresence[] }) {
  const people = new Map<string, RemotePresence>();
  for (const entry of presence) if (!people.has(entry.user.id)) people.set(entry.user.id, entry);
  const names = [...people.values()].map((p) => p.user.name);
  return (
    <ul
      className="collab-presence"
      data-testid="presence-avatars"
      aria-label={names.length === 0 ? "Nobody else is here" : `Also here: ${names.join(", ")}`}
    >
      {[...people.values()].map(({ user, colour }) => (
        <li
          key={user.id}
          className="collab-presence__person"
          title={user.name}
          style={{ boxShadow: `0 0 0 2px ${colour}` }}
        >
          <Avatar name={user.name} imageUrl={user.avatarUrl} size={24} />
        </li>
      ))}
    </ul>
  );
}
