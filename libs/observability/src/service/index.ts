export { BODY_LIMIT_BYTES, createServiceServer } from "./create-service-server";
export type { AppServer, ServiceApp, ServiceServer, ServiceServerOptions } from "./create-service-server";
export { toErrorResponse } from "./error-response";
export type { ErrorResponse } from "./error-response";
export { stopOnSignals } from "./stop-on-signals";
export type { StopOnSignalsOptions } from "./stop-on-signals";
