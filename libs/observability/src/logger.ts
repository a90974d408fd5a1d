import { hostname } from "node:os";
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from "pino";
import { maskSecrets } from "./mask-secrets";

export type { Logger };

export interface LoggerOptions {
  /** The program writing the line (`web`, `collab`, `ai`, `worker`); on every line as `service`. */
  service: string;
  /** `config.LOG_LEVEL`; `silent` turns logging off. Defaults to `info`. */
  level?: string;
  /** Where lines go. Defaults to stdout; tests pass a memory stream to read what was logged. */
  destination?: DestinationStream;
}

/*
 * Keys whose values never belong in a log, wherever they appear. Paths name the exact shapes we
 * log (fastify's req/res, outgoing headers) plus one- and two-level wildcards for ad-hoc objects.
 */
const SECRET_KEYS = [
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "password",
  "secret",
  "apiKey",
  "email",
  // Model and vector-store keys, should a config object or SDK options be logged (libs/ai/llm).
  "AI_CHAT_API_KEY",
  "AI_EMBEDDINGS_API_KEY",
  "PINECONE_API_KEY",
];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  "authorization",
  "cookie",
  "*.authorization",
  "*.cookie",
  '*["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["set-cookie"]',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
  '*.headers["api-key"]',
];

/* Cloud Logging (GKE, Cloud Run) reads `severity`, not pino's numeric level. */
const SEVERITY: Record<string, string> = {
  trace: "DEBUG",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};

/**
 * A JSON logger for one service. Known secret keys (tokens, passwords, cookies, authorization
 * headers, emails) are replaced by `[redacted]`, and every finished line is passed through
 * `maskSecrets`, so an email or bearer token inside a message or error text is masked too.
 */
export function createLogger({ service, level = "info", destination }: LoggerOptions): Logger {
  const options: PinoOptions = {
    level,
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    formatters: {
      level: (label) => ({ level: label, severity: SEVERITY[label] ?? "DEFAULT" }),
    },
  };
  return pino(options, maskingStream(destination ?? pino.destination({ dest: 1, sync: true })));
}

function maskingStream(target: DestinationStream): DestinationStream {
  const stream: DestinationStream & { flush?: (cb?: (error?: Error) => void) => void } = {
    write: (line: string) => target.write(maskSecrets(line)),
  };
  const flushable = target as { flush?: (cb?: (error?: Error) => void) => void };
  if (typeof flushable.flush === "function") stream.flush = (cb) => flushable.flush?.(cb);
  return stream;
}
