"use client";

import type { DoraBucketDto } from "@devflow/contracts";
import { useId, useState } from "react";
import { labelEvery, niceTicks } from "../ai-activity/chart-scale";
import { formatDay, formatRate, formatSpan } from "./delivery-format";
import styles from "./delivery.module.css";

type SeriesMetric = "deployments" | "leadTime" | "failureRate" | "restore";

const HOUR = 3_600_000;

/**
 * Each metric as bars: [main, stacked on top] per bucket, null for "nothing to measure" (no bar,
 * which is not the same as zero), in the axis' unit; and how to read a value of that unit.
 */
const METRICS: Record<
  SeriesMetric,
  { label: string; axis: string; parts: (b: DoraBucketDto) => [number | null, number]; format: (v: number) => string }
> = {
  deployments: {
    label: "Deployments",
    axis: "Deployments",
    parts: (b) => [b.deployments, b.finishedDeployments - b.deployments],
    format: (v) => String(Math.round(v * 10) / 10),
  },
  leadTime: {
    label: "Lead time",
    axis: "Median lead time",
    parts: (b) => [b.leadTimeMedianMs === null ? null : b.leadTimeMedianMs / HOUR, 0],
    format: (v) => formatSpan(v * HOUR),
  },
  failureRate: {
    label: "Change failure rate",
    axis: "Change failure rate",
    parts: (b) => [b.finishedDeployments ? (b.failedDeployments / b.finishedDeployments) * 100 : null, 0],
    format: (v) => formatRate(v / 100),
  },
  restore: {
    label: "Time to restore",
    axis: "Median time to restore",
    parts: (b) => [b.restoreMedianMs === null ? null : b.restoreMedianMs / HOUR, 0],
    format: (v) => formatSpan(v * HOUR),
  },
};

// The drawing's own coordinates; the SVG scales to its container's width.
const WIDTH = 760;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/**
 * The window's buckets (days or weeks) as an SVG bar chart, one metric at a time (no chart library
 * is installed; bars need little). The SVG is an image described in words, and every number is in
 * the table below it.
 */
export function SeriesChart({ series, granularity }: { series: DoraBucketDto[]; granularity: "day" | "week" }) {
  const [metric, setMetric] = useState<SeriesMetric>("deployments");
  const id = useId();
  const { axis, parts, format } = METRICS[metric];
  const values = series.map(parts);
  const ticks = niceTicks(Math.max(0, ...values.map(([main, top]) => (main ?? 0) + top)));
  const max = ticks.at(-1)!;
  const band = PLOT_W / Math.max(1, series.length);
  const barWidth = Math.max(1, band * 0.7);
  const every = labelEvery(series.length);
  const y = (value: number) => MARGIN.top + PLOT_H - (value / max) * PLOT_H;
  const per = granularity === "day" ? "day" : "week";
  const measured = values.filter(([main]) => main !== null).length;

  return (
    <figure className={`panel ${styles.section}`} aria-labelledby={`${id}-caption`} data-testid="dora-chart">
      <div className={styles.sectionHeader}>
        <figcaption id={`${id}-caption`} className={styles.sectionTitle}>
          {axis} per {per} <span className={styles.muted}>(UTC)</span>
        </figcaption>
        <div className={styles.segmented} role="group" aria-label="What the chart shows">
          {(Object.keys(METRICS) as SeriesMetric[]).map((m) => (
            <button
              key={m}
              type="button"
              className={styles.segment}
              aria-pressed={metric === m}
              onClick={() => setMetric(m)}
              data-testid={`dora-chart-${m}`}
            >
              {METRICS[m].label}
            </button>
          ))}
        </div>
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className={styles.chartSvg} role="img" aria-labelledby={`${id}-desc`}>
        <desc id={`${id}-desc`}>
          {`${axis} per ${per} over ${series.length} ${per}s; ${measured} of them had something to measure.`}
        </desc>
        {ticks.map((tick) => (
          <g key={tick} className={styles.gridLine}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className={styles.axisText}>
              {format(tick)}
            </text>
          </g>
        ))}
        {series.map((bucket, i) => {
          const [main, stacked] = values[i]!;
          const x = MARGIN.left + i * band + (band - barWidth) / 2;
          const total = (main ?? 0) + stacked;
          return (
            <g key={bucket.start} data-testid="dora-chart-bar" data-start={bucket.start} data-value={main ?? ""}>
              <title>{`${formatDay(bucket.start)}: ${main === null ? "nothing to measure" : format(total)}`}</title>
              {main !== null && main > 0 && (
                <rect x={x} width={barWidth} y={y(main)} height={y(0) - y(main)} className={styles.barMain} />
              )}
              {stacked > 0 && (
                <rect
                  x={x}
                  width={barWidth}
                  y={y(total)}
                  height={y(main ?? 0) - y(total)}
                  className={styles.barFailed}
                />
              )}
              {i % every === 0 && (
                <text x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle" className={styles.axisText}>
                  {formatDay(bucket.start)}
                </text>
              )}
            </g>
          );
        })}
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(0)} y2={y(0)} className={styles.axisLine} />
      </svg>
      {metric === "deployments" && (
        <ul className={styles.legend} aria-hidden>
          <li>
            <span className={`${styles.swatch} ${styles.barMain}`} /> Successful
          </li>
          <li>
            <span className={`${styles.swatch} ${styles.barFailed}`} /> Failed or errored
          </li>
        </ul>
      )}
      <details>
        <summary className={styles.muted}>Show the numbers as a table</summary>
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="dora-chart-table">
            <caption className="ui-visually-hidden">DORA metrics per {per} (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">{granularity === "day" ? "Day" : "Week from"}</th>
                <th scope="col" className={styles.number}>
                  Successful
                </th>
                <th scope="col" className={styles.number}>
                  Failures / finished
                </th>
                <th scope="col" className={styles.number}>
                  Median lead time
                </th>
                <th scope="col" className={styles.number}>
                  Median time to restore
                </th>
              </tr>
            </thead>
            <tbody>
              {series.map((b) => (
                <tr key={b.start}>
                  <th scope="row">{b.start}</th>
                  <td className={styles.number}>{b.deployments}</td>
                  <td className={styles.number}>
                    {b.failedDeployments} / {b.finishedDeployments}
                  </td>
                  <td className={styles.number}>{formatSpan(b.leadTimeMedianMs)}</td>
                  <td className={styles.number}>{formatSpan(b.restoreMedianMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
