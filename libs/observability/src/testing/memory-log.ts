import type { DestinationStream } from "pino";

export interface MemoryLog {
  /** Pass as `createLogger({ destination })`. */
  destination: DestinationStream;
  /** Everything written so far, exactly as it would have reached stdout. */
  text(): string;
  /** Each line parsed as JSON. */
  lines(): Record<string, unknown>[];
}

/** A log destination that keeps lines in memory, so tests can assert on what was really written. */
export function createMemoryLog(): MemoryLog {
  const chunks: string[] = [];
  return {
    destination: { write: (line: string) => void chunks.push(line) },
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
