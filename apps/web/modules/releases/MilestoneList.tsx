import type { MilestoneDto } from "@devflow/contracts";
import styles from "./releases.module.css";

export interface MilestoneListProps {
  milestones: MilestoneDto[];
  selected: string | null;
  onSelect: (title: string) => void;
}

/** The project's milestones, newest due date first; choosing one shows its readiness. */
export function MilestoneList({ milestones, selected, onSelect }: MilestoneListProps) {
  return (
    <ul className={styles.milestones} aria-label="Milestones" data-testid="milestone-list">
      {milestones.map((m) => (
        <li key={m.title}>
          <button
            type="button"
            className={styles.milestone}
            aria-pressed={m.title === selected}
            onClick={() => onSelect(m.title)}
            data-testid="milestone-item"
          >
            <span className={styles.milestoneTitle}>{m.title}</span>
            <span className={styles.muted}>
              {m.state} · {m.dueAt ? `due ${m.dueAt.slice(0, 10)}` : "no due date"}
            </span>
            <span className={styles.muted}>
              PRs {m.pullRequests.open} open / {m.pullRequests.closed} closed · issues {m.issues.open} open /{" "}
              {m.issues.closed} closed
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
