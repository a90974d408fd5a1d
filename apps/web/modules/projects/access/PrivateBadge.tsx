import styles from "./access.module.css";
import { LockIcon } from "./icons";

/** Marks a project only its listed people and groups (and admins) can see. */
export function PrivateBadge() {
  return (
    <span
      className={styles.privateBadge}
      data-testid="private-badge"
      title="Only the people and groups on its list can see it"
    >
      <LockIcon size={12} />
      Private
    </span>
  );
}
