import { LEDGER_TRUNCATED_KEY } from "@devflow/contracts";
import { formatExactCount } from "./activity-format";
import styles from "./ai-activity.module.css";

function isTruncated(value: unknown): value is { originalBytes: number; preview: string } {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[LEDGER_TRUNCATED_KEY] === true
  );
}

/** A tool's input or output, pretty-printed; a value cut at record time says so and shows its start. */
export function JsonBlock({ value, label, testId }: { value: unknown; label: string; testId?: string }) {
  if (isTruncated(value)) {
    return (
      <div data-testid={testId}>
        <p className={styles.muted}>
          Too large to keep whole ({formatExactCount(value.originalBytes)} bytes); the start is shown.
        </p>
        <pre className={styles.codeBlock} aria-label={label} tabIndex={0}>
          {value.preview}…
        </pre>
      </div>
    );
  }
  return (
    <pre className={styles.codeBlock} aria-label={label} tabIndex={0} data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function lineClass(line: string): string | undefined {
  if (line.startsWith("+++") || line.startsWith("---")) return styles.diffFile;
  if (line.startsWith("@@")) return styles.diffHunk;
  if (line.startsWith("+")) return styles.diffAdded;
  if (line.startsWith("-")) return styles.diffRemoved;
  if (line.startsWith("\\")) return styles.diffNote;
  return undefined;
}

/**
 * A unified diff, a line per row, added and removed lines marked by colour and by their +/− sign
 * (so the meaning never rests on colour alone). Scrolls, and can be reached by keyboard to scroll.
 */
export function DiffBlock({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, "").split("\n");
  return (
    <pre
      className={`${styles.codeBlock} ${styles.diff}`}
      aria-label="Changes the tool made"
      tabIndex={0}
      data-testid="execution-diff"
    >
      {lines.map((line, i) => (
        <span key={i} className={lineClass(line)}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}
