import { Readable } from "node:stream";
import { loadConfig } from "@devflow/util-config";
import { AppError } from "@devflow/util-core";
import NodeClam from "clamscan";
import { z } from "zod";

export type VirusScanResult = { clean: true } | { clean: false; signature: string };

export interface VirusScanner {
  /**
   * Streams `bytes` to clamd (INSTREAM) and reports what it found. Throws `VirusScanError` when
   * clamd cannot be reached, times out or refuses the stream; callers should then fail closed
   * (hold or reject the upload), not treat the file as clean.
   */
  scan(bytes: Buffer): Promise<VirusScanResult>;
}

export interface VirusScannerOptions {
  /** clamd's host (its `TCPAddr`). */
  host: string;
  /** clamd's `TCPSocket`, usually 3310. */
  port: number;
  /** Longest a whole scan may take, connection included, before it fails with `VirusScanError` (default 30 s). */
  timeoutMs?: number;
}

/** The scan did not produce a verdict. `retryable` is true for connection problems and timeouts. */
export class VirusScanError extends AppError {
  constructor(message: string, options: { cause?: unknown; retryable: boolean }) {
    super("unavailable", message, { cause: options.cause, retryable: options.retryable, report: true });
    this.name = "VirusScanError";
  }
}

/** clamd reads INSTREAM as length-prefixed chunks; 64 KiB keeps each write modest. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A scanner that talks to a clamd daemon over TCP through the `clamscan` package (clamd mode only:
 * no local binaries, no start-up PING, so creating one does no I/O). clamscan sends
 * `zINSTREAM\0`, 4-byte big-endian chunk lengths and a zero-length terminator, and parses
 * `stream: OK` / `stream: <signature> FOUND`.
 */
export function createVirusScanner({ host, port, timeoutMs = 30_000 }: VirusScannerOptions): VirusScanner {
  let client: Promise<NodeClam> | undefined;
  const connect = () =>
    (client ??= configure().catch((error: unknown) => {
      client = undefined; // let the next scan try again
      throw error;
    }));
  const configure = () =>
    new NodeClam().init({
      clamscan: { active: false },
      clamdscan: {
        host,
        port,
        timeout: timeoutMs,
        localFallback: false,
        // No binary path: skips clamscan's `clamdscan --version` probe of the local machine.
        path: "",
        // Otherwise init connects once to send `PING` without the z/n prefix and terminator that clamd's
        // protocol asks for; a dead clamd then shows up on the first scan instead.
        bypassTest: true,
      },
      preference: "clamdscan",
    });

  return {
    async scan(bytes: Buffer): Promise<VirusScanResult> {
      // clamscan sends nothing but the terminator for an empty stream (no `zINSTREAM`), which clamd
      // cannot parse; and an empty file carries no virus.
      if (bytes.length === 0) return { clean: true };
      const chunks = Array.from({ length: Math.ceil(bytes.length / CHUNK_BYTES) }, (_, i) =>
        bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
      );
      const scanning = connect().then((clam) => clam.scanStream(Readable.from(chunks)));
      const { isInfected, viruses } = await withTimeout(scanning, timeoutMs, `${host}:${port}`);
      if (isInfected === true) return { clean: false, signature: viruses[0] ?? "unknown" };
      if (isInfected === false) return { clean: true };
      throw new VirusScanError(`clamd at ${host}:${port} returned no verdict`, { retryable: true });
    },
  };
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, address: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new VirusScanError(`clamd at ${address} did not answer within ${timeoutMs} ms`, { retryable: true })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof VirusScanError) throw error;
    throw describeClamError(error, address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * clamd answers a stream it will not scan with `<reason> ERROR` (e.g. `INSTREAM size limit exceeded.
 * ERROR`); clamscan rejects with a NodeClamError whose `data.error` holds the reason. Sending the same
 * bytes again will not help, unlike a refused connection or a dropped socket.
 */
function describeClamError(error: unknown, address: string): VirusScanError {
  const refusal = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (typeof refusal === "string") {
    return new VirusScanError(`clamd at ${address} refused to scan: ${refusal.trim()}`, {
      cause: error,
      retryable: false,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new VirusScanError(`clamd at ${address} failed: ${message}`, { cause: error, retryable: true });
}

/** The variables `createVirusScannerFromConfig` reads; see libs/extract/README.md. */
export const VirusScannerConfigSchema = z.object({
  CLAMAV_HOST: z.string().optional(),
  CLAMAV_PORT: z.coerce.number().int().min(1).max(65_535).default(3310),
  CLAMAV_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

/**
 * The scanner the environment configures, or null when `CLAMAV_HOST` is unset (development, tests,
 * installs without ClamAV): callers skip scanning then, and should say so in their logs.
 */
export function createVirusScannerFromConfig(env: Record<string, string | undefined>): VirusScanner | null {
  const config = loadConfig("virus scanner", VirusScannerConfigSchema, env);
  if (!config.CLAMAV_HOST) return null;
  return createVirusScanner({
    host: config.CLAMAV_HOST,
    port: config.CLAMAV_PORT,
    timeoutMs: config.CLAMAV_TIMEOUT_MS,
  });
}
