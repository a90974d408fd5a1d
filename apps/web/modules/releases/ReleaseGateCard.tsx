import type { ReleaseGateDto, ReleaseGateRowDto } from "@devflow/contracts";
import { Badge } from "@devflow/web-ui";
import Link from "next/link";
import { GATE_LABELS, VERDICT_LABELS } from "./labels";
import styles from "./releases.module.css";

/** One gate: its verdict, why, and the pull requests, issues, docs or DORA windows behind it. */
export function ReleaseGateCard({ gate, orgSlug }: { gate: ReleaseGateDto; orgSlug: string }) {
  const { title, rule } = GATE_LABELS[gate.gate];
  const verdict = VERDICT_LABELS[gate.verdict];
  return (
    <section className={`panel ${styles.card}`} data-testid={`release-gate-${gate.gate}`} aria-label={title}>
      <header className={styles.cardHeader}>
        <h2 className={styles.cardTitle}>{title}</h2>
        <Badge tone={verdict.tone} testId={`release-gate-${gate.gate}-verdict`}>
          {verdict.label}
        </Badge>
      </header>
      <p className={styles.muted}>{rule}</p>
      <ul className={styles.reasons}>
        {gate.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {gate.rows.length > 0 && (
        <ul className={styles.rows}>
          {gate.rows.map((row) => (
            <li key={`${row.kind}:${row.id}`} className={row.isBlocking ? styles.blocking : undefined}>
              <RowLink row={row} orgSlug={orgSlug} />
              <span className={styles.muted}>{row.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RowLink({ row, orgSlug }: { row: ReleaseGateRowDto; orgSlug: string }) {
  const label = row.number === null ? row.title : `${row.repository}#${row.number} ${row.title}`;
  if (row.kind === "document") {
    return <Link href={`/${encodeURIComponent(orgSlug)}/documents/${encodeURIComponent(row.id)}`}>{label}</Link>;
  }
  if (row.url) {
    return (
      <a href={row.url} target="_blank" rel="noreferrer">
        {label}
      </a>
    );
  }
  return <span>{label}</span>;
}
