import {
  AI_ASSISTANCE_KINDS,
  DORA_RULE_DESCRIPTIONS,
  type DoraDurationStatsDto,
  type DoraMetricsDto,
} from "@devflow/contracts";
import { Badge } from "@devflow/web-ui";
import { formatRate, formatSpan } from "./delivery-format";
import { AI_ASSISTANCE } from "./labels";
import styles from "./delivery.module.css";

const STAGES = [
  { key: "coding", label: "Coding", hint: "first commit → opened", className: styles.stageCoding },
  { key: "pickup", label: "Pickup", hint: "opened → first review", className: styles.stagePickup },
  { key: "review", label: "Review", hint: "first review → merged", className: styles.stageReview },
  { key: "deploy", label: "Deploy", hint: "merged → deployed", className: styles.stageDeploy },
] as const;

/**
 * Where lead time goes: each stage's median as a share of their sum, one bar. Each median is over
 * the pull requests where the stage is known (coding needs a first commit time, pickup and review a
 * review), so the parts need not add up to the overall median; the counts say how many.
 */
export function LeadTimeBreakdown({ leadTime }: { leadTime: DoraMetricsDto["leadTime"] }) {
  const stages = STAGES.map((s) => ({ ...s, stats: leadTime.stages[s.key] }));
  const sum = stages.reduce((total, s) => total + (s.stats.medianMs ?? 0), 0);
  return (
    <section className={`panel ${styles.section}`} aria-labelledby="lead-time-breakdown" data-testid="dora-breakdown">
      <h2 id="lead-time-breakdown" className={styles.sectionTitle}>
        Lead time breakdown
      </h2>
      {sum > 0 ? (
        <div className={styles.stageBar} role="img" aria-label={describe(stages)}>
          {stages.map(
            (s) =>
              (s.stats.medianMs ?? 0) > 0 && (
                <div
                  key={s.key}
                  className={s.className}
                  style={{ flexGrow: s.stats.medianMs! / sum }}
                  title={`${s.label}: ${formatSpan(s.stats.medianMs)}`}
                />
              ),
          )}
        </div>
      ) : (
        <p className={styles.note}>No pull request reached the environment in this window.</p>
      )}
      <ul className={styles.legend}>
        {stages.map((s) => (
          <li key={s.key} data-testid={`dora-stage-${s.key}`}>
            <span className={`${styles.swatch} ${s.className}`} /> {s.label} ({s.hint}):{" "}
            <strong>{formatSpan(s.stats.medianMs)}</strong> <span>· n = {s.stats.count}</span>
          </li>
        ))}
      </ul>
      <p className={styles.note}>
        Medians of each stage over the pull requests where it is known. The first commit time comes from the pull
        request analysis (it reads the commits); without it, lead time starts when the pull request was opened.
      </p>
    </section>
  );
}

function describe(stages: { label: string; stats: DoraDurationStatsDto }[]): string {
  return `Median lead time by stage: ${stages.map((s) => `${s.label} ${formatSpan(s.stats.medianMs)}`).join(", ")}.`;
}

/** Lead time and change failure rate for AI-assisted, human and unclassified pull requests. */
export function AiAssistanceSplit({ report }: { report: DoraMetricsDto }) {
  return (
    <section className={`panel ${styles.section}`} aria-labelledby="ai-split" data-testid="dora-ai-split">
      <h2 id="ai-split" className={styles.sectionTitle}>
        Human vs AI-assisted
      </h2>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Pull requests</th>
              <th scope="col" className={styles.number}>
                Lead time (median · p90)
              </th>
              <th scope="col" className={styles.number}>
                Deployed
              </th>
              <th scope="col" className={styles.number}>
                Change failure rate
              </th>
            </tr>
          </thead>
          <tbody>
            {AI_ASSISTANCE_KINDS.map((kind) => {
              const lead = report.leadTime.byAiAssistance[kind];
              const cfr = report.changeFailureRate.byAiAssistance[kind];
              return (
                <tr key={kind} data-testid={`dora-ai-${kind}`}>
                  <th scope="row">
                    <span title={DORA_RULE_DESCRIPTIONS[kind]}>
                      <Badge tone={AI_ASSISTANCE[kind].tone}>{AI_ASSISTANCE[kind].label}</Badge>
                    </span>
                  </th>
                  <td className={styles.number}>
                    {formatSpan(lead.medianMs)} · {formatSpan(lead.p90Ms)}
                  </td>
                  <td className={styles.number}>{lead.count}</td>
                  <td className={styles.number}>
                    {formatRate(cfr.rate)}{" "}
                    <span className={styles.muted}>
                      ({cfr.failed} / {cfr.total})
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className={styles.note}>
        A pull request is AI-assisted only when its data says so: {DORA_RULE_DESCRIPTIONS.ai_assisted} Labels and commit
        messages are not stored, so they cannot be read. A deployment counts as AI-assisted when any pull request it
        shipped is, human when all are.
      </p>
    </section>
  );
}
