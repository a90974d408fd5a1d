import type { AiActivitySummaryDto, AiActivityTotalsDto } from "@devflow/contracts";
import { formatCost, formatCount, formatDuration, formatExactCount, percent } from "./activity-format";
import styles from "./ai-activity.module.css";

/** The range's totals as cards, then where the calls and the money went: per model and per tool. */
export function ActivityTotals({ summary }: { summary: AiActivitySummaryDto }) {
  const t = summary.totals;
  const stats = [
    { label: "Calls", value: formatExactCount(t.calls), testId: "total-calls" },
    {
      label: "Tokens",
      value: formatCount(t.inputTokens + t.outputTokens),
      detail: `${formatCount(t.inputTokens)} in · ${formatCount(t.outputTokens)} out`,
      testId: "total-tokens",
    },
    { label: "Cost", value: formatCost(t.costUsd), testId: "total-cost" },
    {
      label: "Errors",
      value: formatExactCount(t.errors),
      detail: `${percent(t.errors, t.calls)} of calls${t.refused ? ` · ${t.refused} refused` : ""}`,
      testId: "total-errors",
    },
    {
      label: "Latency",
      value: formatDuration(t.latencyP50Ms),
      detail: `p50 · p95 ${formatDuration(t.latencyP95Ms)}`,
      testId: "total-latency",
    },
  ];
  return (
    <>
      <dl className={styles.stats} data-testid="activity-totals">
        {stats.map((s) => (
          <div key={s.label} className={`panel ${styles.stat}`}>
            <dt className={styles.statLabel}>{s.label}</dt>
            <dd className={styles.statValue} data-testid={s.testId}>
              {s.value}
            </dd>
            {s.detail && <dd className={styles.muted}>{s.detail}</dd>}
          </div>
        ))}
      </dl>
      {t.calls > 0 && (
        <div className={styles.breakdowns}>
          <Breakdown
            title="By model"
            testId="by-model"
            rows={summary.byModel.map((m) => ({
              key: `${m.provider}/${m.model}`,
              label: m.model,
              hint: m.provider,
              ...m,
            }))}
          />
          <Breakdown
            title="By tool"
            testId="by-tool"
            rows={summary.byTool.map((b) => ({ key: b.tool ?? "", label: b.tool ?? "No tool (chat)", ...b }))}
          />
        </div>
      )}
    </>
  );
}

interface BreakdownRow extends AiActivityTotalsDto {
  key: string;
  label: string;
  hint?: string;
}

function Breakdown({ title, rows, testId }: { title: string; rows: BreakdownRow[]; testId: string }) {
  return (
    <section className={`panel ${styles.tableWrap}`} aria-label={title}>
      <h2 className={`${styles.sectionTitle} ${styles.breakdownTitle}`}>{title}</h2>
      <table className={styles.table} data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{title === "By model" ? "Model" : "Tool"}</th>
            <th scope="col" className={styles.number}>
              Calls
            </th>
            <th scope="col" className={styles.number}>
              Tokens
            </th>
            <th scope="col" className={styles.number}>
              Cost
            </th>
            <th scope="col" className={styles.number}>
              p95
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className={styles.rowHeader}>
                <span className={styles.code}>{row.label}</span>
                {row.hint && <span className={styles.muted}> · {row.hint}</span>}
              </th>
              <td className={styles.number}>
                {formatExactCount(row.calls)}
                {row.errors > 0 && <span className={styles.errorText}> ({row.errors} failed)</span>}
              </td>
              <td className={styles.number}>{formatCount(row.inputTokens + row.outputTokens)}</td>
              <td className={styles.number}>{formatCost(row.costUsd)}</td>
              <td className={styles.number}>{formatDuration(row.latencyP95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
