import { createLogger, type Logger } from "@devflow/observability";
import { webConfig } from "./config";
import { LOGGER_KEY, processSingleton } from "./runtime-globals";

/** The web app's pino logger (JSON, secrets redacted), one per process. */
export function webLogger(): Logger {
  return processSingleton(LOGGER_KEY, () => createLogger({ service: "web", level: webConfig().LOG_LEVEL }));
}
