import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

export type HttpRequestLabel = "service" | "method" | "route" | "status";

export interface Metrics {
  /** This service's own registry; render it with `registry.metrics()` on `/metrics`. */
  readonly registry: Registry;
  /** Seconds per HTTP request, labelled by route pattern (never the raw URL, to bound cardinality). */
  readonly httpRequestDuration: Histogram<HttpRequestLabel>;
}

export const METRIC_PREFIX = "devflow_";

/**
 * A fresh registry with the Node process metrics (prefixed `devflow_`, labelled with `service`)
 * and the HTTP request histogram. Never the global registry: the dev launcher runs every app in
 * one process, and each must expose only its own series without name clashes.
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX, labels: { service } });
  const httpRequestDuration = new Histogram<HttpRequestLabel>({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: "Time to answer an HTTP request, from arrival to the last byte written.",
    labelNames: ["service", "method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}
