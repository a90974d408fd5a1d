import type { HealthReport } from "@devflow/contracts";
import { maskSecrets } from "./mask-secrets";

export interface DependencyCheck {
  /** Shown in the report, e.g. `database`. */
  name: string;
  /** Resolves when the dependency answers; rejects (or never settles) when it does not. */
  check(): Promise<void>;
}

const ERROR_MESSAGE_MAX = 300;

/**
 * Runs every check at once, each bounded by `timeoutMs`, and reports `ok` only if all passed.
 * Failures carry a one-line message, never a stack: readiness endpoints are often reachable from
 * outside the cluster.
 */
export async function runHealthChecks(
  service: string,
  checks: readonly DependencyCheck[],
  timeoutMs: number,
): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
  return { status: results.every((r) => r.ok) ? "ok" : "unavailable", service, checks: results };
}

async function runOne(dependency: DependencyCheck, timeoutMs: number): Promise<HealthReport["checks"][number]> {
  const { name } = dependency;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([dependency.check(), timeout]);
    return { name, ok: true, latencyMs: elapsedSince(started) };
  } catch (error) {
    return { name, ok: false, latencyMs: elapsedSince(started), error: describeFailure(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Driver errors (Prisma's included) can span lines and quote connection strings.
  const firstLine = message.split("\n").find((line) => line.trim() !== "") ?? "check failed";
  return maskSecrets(firstLine.trim()).slice(0, ERROR_MESSAGE_MAX);
}
