export { runHealthChecks } from "./health";
export type { DependencyCheck } from "./health";
export { createLogger } from "./logger";
export type { Logger, LoggerOptions } from "./logger";
export { maskSecrets } from "./mask-secrets";
export { createMetrics, METRIC_PREFIX } from "./metrics";
export type { HttpRequestLabel, Metrics } from "./metrics";
export { REQUEST_ID_HEADER, requestIdFrom } from "./request-id";
