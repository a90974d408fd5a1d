"use client";

import type { AiActivityDayDto } from "@devflow/contracts";
import { useId, useState } from "react";
import { formatCost, formatCount, formatDay, formatDuration, formatExactCount } from "./activity-format";
import { labelEvery, niceTicks } from "./chart-scale";
import styles from "./ai-activity.module.css";

export type ChartMetric = "calls" | "tokens" | "cost";

const METRICS: { value: ChartMetric; label: string; axis: string }[] = [
  { value: "calls", label: "Calls", axis: "Calls" },
  { value: "tokens", label: "Tokens", axis: "Tokens" },
  { value: "cost", label: "Cost", axis: "Cost (USD)" },
];

/** The two stacked parts of a day's bar: the main one, and the part drawn on top of it. */
function partsOf(day: AiActivityDayDto, metric: ChartMetric): [number, number] {
  if (metric === "calls") return [day.calls - day.errors, day.errors];
  if (metric === "tokens") return [day.inputTokens, day.outputTokens];
  return [day.costUsd, 0];
}

const LEGEND: Record<ChartMetric, [string, string | null]> = {
  calls: ["Answered or refused", "Errors"],
  tokens: ["Input tokens", "Output tokens"],
  cost: ["Cost", null],
};

const formatValue = (metric: ChartMetric, value: number) =>
  metric === "cost" ? formatCost(value) : formatCount(value);

// The drawing's own coordinates; the SVG scales to its container's width.
const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 12, bottom: 44, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/**
 * Calls, tokens or cost per day as an SVG bar chart (no chart library is installed, and a bar per day
 * needs little). Accessible: the SVG is an image with a title and a description that states the
 * totals and the peak, the axes are labelled, and the same numbers are one click away as a table.
 */
export function DailyChart({ days }: { days: AiActivityDayDto[] }) {
  const [metric, setMetric] = useState<ChartMetric>("calls");
  const id = useId();
  const parts = days.map((day) => partsOf(day, metric));
  const totals = parts.map(([a, b]) => a + b);
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks.at(-1)!;
  const band = PLOT_W / Math.max(1, days.length);
  const barWidth = Math.max(1, band * 0.7);
  const every = labelEvery(days.length);
  const y = (value: number) => MARGIN.top + PLOT_H - (value / top) * PLOT_H;
  const axis = METRICS.find((m) => m.value === metric)!.axis;
  const sum = totals.reduce((a, b) => a + b, 0);
  const peak = totals.reduce((best, value, i) => (value > totals[best]! ? i : best), 0);
  const [mainLabel, topLabel] = LEGEND[metric];
  const description =
    days.length === 0
      ? "No days in range."
      : `${formatValue(metric, sum)} in total over ${days.length} days, from ${formatDay(days[0]!.day)} to ${formatDay(days.at(-1)!.day)}` +
        (sum > 0
          ? `; the busiest day was ${formatDay(days[peak]!.day)} with ${formatValue(metric, totals[peak]!)}.`
          : ".");

  return (
    <figure className={`panel ${styles.chart}`} aria-labelledby={`${id}-caption`} data-testid="activity-chart">
      <div className={styles.chartHeader}>
        <figcaption id={`${id}-caption`} className={styles.sectionTitle}>
          {axis} per day <span className={styles.muted}>(UTC)</span>
        </figcaption>
        <div className={styles.segmented} role="group" aria-label="What the chart shows">
          {METRICS.map((m) => (
            <button
              key={m.value}
              type="button"
              className={styles.segment}
              aria-pressed={metric === m.value}
              onClick={() => setMetric(m.value)}
              data-testid={`chart-metric-${m.value}`}
            >
              {m.label}
            </button>
          ))}
        </div>
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className={styles.chartSvg}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{`${axis} per day`}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick} className={styles.gridLine}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className={styles.axisText}>
              {formatValue(metric, tick)}
            </text>
          </g>
        ))}
        {days.map((day, i) => {
          const [main, stacked] = parts[i]!;
          const x = MARGIN.left + i * band + (band - barWidth) / 2;
          return (
            <g key={day.day} data-testid="chart-bar" data-day={day.day} data-value={main + stacked}>
              <title>{`${formatDay(day.day)}: ${formatValue(metric, main + stacked)}`}</title>
              {main > 0 && (
                <rect x={x} width={barWidth} y={y(main)} height={y(0) - y(main)} className={styles.barMain} />
              )}
              {stacked > 0 && (
                <rect
                  x={x}
                  width={barWidth}
                  y={y(main + stacked)}
                  height={y(main) - y(main + stacked)}
                  className={metric === "calls" ? styles.barError : styles.barSecondary}
                />
              )}
              {i % every === 0 && (
                <text
                  x={x + barWidth / 2}
                  y={HEIGHT - MARGIN.bottom + 16}
                  textAnchor="middle"
                  className={styles.axisText}
                >
                  {formatDay(day.day)}
                </text>
              )}
            </g>
          );
        })}
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(0)} y2={y(0)} className={styles.axisLine} />
        <text x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle" className={styles.axisTitle}>
          Day (UTC)
        </text>
        <text
          transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`}
          textAnchor="middle"
          className={styles.axisTitle}
        >
          {axis}
        </text>
      </svg>
      <ul className={styles.legend} aria-hidden>
        <li>
          <span className={`${styles.swatch} ${styles.barMain}`} /> {mainLabel}
        </li>
        {topLabel && (
          <li>
            <span className={`${styles.swatch} ${metric === "calls" ? styles.barError : styles.barSecondary}`} />{" "}
            {topLabel}
          </li>
        )}
      </ul>
      <details className={styles.tableFallback}>
        <summary>Show the numbers as a table</summary>
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="chart-table">
            <caption className="ui-visually-hidden">AI calls per day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Calls</th>
                <th scope="col">Errors</th>
                <th scope="col">Input tokens</th>
                <th scope="col">Output tokens</th>
                <th scope="col">Cost</th>
                <th scope="col">p50 latency</th>
                <th scope="col">p95 latency</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day) => (
                <tr key={day.day}>
                  <th scope="row">{day.day}</th>
                  <td>{formatExactCount(day.calls)}</td>
                  <td>{formatExactCount(day.errors)}</td>
                  <td>{formatExactCount(day.inputTokens)}</td>
                  <td>{formatExactCount(day.outputTokens)}</td>
                  <td>{formatCost(day.costUsd)}</td>
                  <td>{formatDuration(day.latencyP50Ms)}</td>
                  <td>{formatDuration(day.latencyP95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
