import type { Logger } from "../logger";

export interface StopOnSignalsOptions {
  logger: Logger;
  /** Closes servers, then the database; runs once, on the first SIGTERM or SIGINT. */
  stop(): Promise<void>;
}

/**
 * Graceful stop for a service process: the first SIGTERM/SIGINT runs `stop()` and exits 0 (1 if
 * stopping failed); a second signal exits at once, for the person pressing Ctrl-C twice.
 */
export function stopOnSignals({ logger, stop }: StopOnSignalsOptions): void {
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isStopping) {
      logger.warn({ signal }, "second signal while stopping; exiting now");
      process.exit(1);
    }
    isStopping = true;
    logger.info({ signal }, "stopping");
    stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "stopping failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
