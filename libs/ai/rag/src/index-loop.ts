import type { IndexPendingResult } from "./document-indexer";

export interface IndexLoopOptions {
  /** One pass over the documents that need indexing (DocumentIndexer.indexPending, bound to its settings). */
  indexPending: () => Promise<IndexPendingResult>;
  /** Pause between passes when there was nothing to do, in ms. */
  intervalMs: number;
  /** Longest pause after consecutive failed passes (the pause doubles from intervalMs up to this). */
  maxBackoffMs?: number;
  /** Told about each pass that did something and each failure; a logger fits. */
  onPass?: (result: IndexPendingResult) => void;
  onError?: (error: unknown, consecutiveFailures: number) => void;
}

export interface IndexLoop {
  /** Stops scheduling passes and waits for the one running, if any. */
  stop(): Promise<void>;
}

/**
 * Runs the indexer in the background: a pass, then a pause — none when the pass indexed something
 * (more may be waiting), intervalMs when it did not, doubling after failed passes (database down, say)
 * up to maxBackoffMs. Passes never overlap. The timer does not keep the process alive.
 */
export function startIndexLoop(options: IndexLoopOptions): IndexLoop {
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => (running = undefined));
    }, delayMs);
    timer.unref();
  };

  const pass = async () => {
    try {
      const result = await options.indexPending();
      failures = 0;
      if (result.attempted > 0) options.onPass?.(result);
      // A pass that indexed something may have left more behind; one that only failed or found its
      // documents already done should not spin.
      schedule(result.indexed > 0 ? 0 : options.intervalMs);
    } catch (error) {
      failures++;
      options.onError?.(error, failures);
      schedule(Math.min(options.intervalMs * 2 ** failures, maxBackoffMs));
    }
  };

  schedule(options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
