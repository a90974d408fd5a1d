import type { DoraMetricsDto } from "@devflow/contracts";
import { formatFrequency, formatRate, formatSpan } from "./delivery-format";
import styles from "./delivery.module.css";

/** The four DORA metrics of the window, one tile each, with what each was computed from. */
export function MetricTiles({ report }: { report: DoraMetricsDto }) {
  const { deploymentFrequency: df, leadTime, changeFailureRate: cfr, timeToRestore: ttr } = report;
  const tiles = [
    {
      label: "Deployment frequency",
      value: `${formatFrequency(df.perWeek)} / week`,
      detail: `${df.deployments} successful ${df.deployments === 1 ? "deployment" : "deployments"} · ${formatFrequency(df.perDay)} / day`,
      testId: "dora-deployment-frequency",
    },
    {
      label: "Lead time for changes",
      value: formatSpan(leadTime.medianMs),
      detail: `median · p90 ${formatSpan(leadTime.p90Ms)} · ${leadTime.count} pull ${leadTime.count === 1 ? "request" : "requests"}`,
      testId: "dora-lead-time",
    },
    {
      label: "Change failure rate",
      value: formatRate(cfr.rate),
      detail: `${cfr.failed} of ${cfr.total} finished ${cfr.total === 1 ? "deployment" : "deployments"}`,
      testId: "dora-change-failure-rate",
    },
    {
      label: "Time to restore",
      value: formatSpan(ttr.medianMs),
      detail: `median · ${ttr.count} resolved${ttr.open ? ` · ${ttr.open} still open` : ""}`,
      testId: "dora-time-to-restore",
    },
  ];
  return (
    <dl className={styles.tiles} data-testid="dora-tiles">
      {tiles.map((tile) => (
        <div key={tile.label} className={`panel ${styles.tile}`}>
          <dt className={styles.tileLabel}>{tile.label}</dt>
          <dd className={styles.tileValue} data-testid={tile.testId}>
            {tile.value}
          </dd>
          <dd className={styles.muted}>{tile.detail}</dd>
        </div>
      ))}
    </dl>
  );
}
