/**
 * npm run bench:webhooks — webhook ingress: deliveries per second accepted durably, and the
 * acceptance latency, of the worker as production starts it (`apps/worker/src/main.ts` in its own
 * process, on PostgreSQL through the app role), from a load generator in this process over HTTP
 * keep-alive. Every delivery is a real GitHub payload (pull_request, push, deployment_status from
 * @octokit/webhooks-examples) with a valid X-Hub-Signature-256 and its own delivery id; "accepted"
 * means answered 202, which the worker sends only after the delivery and its event are committed.
 * Afterwards the stored rows are counted: every 202 must be in the database.
 * BENCH_WEBHOOKS_PROCESSING: `same` (default, production's one worker process) runs the outbox
 * relay and the handlers in the process that takes the deliveries; `separate` takes deliveries in
 * one process (ingress-worker.ts, no event bus) and relays and processes them in a second worker;
 * `none` runs no relay and no processing at all (ingress alone).
 * Targets: ≥ 1,000 deliveries/s and p99 ≤ 50 ms. See bench/README.md for the env.
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import path from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { createTestDatabase } from "@devflow/db/testing";
import { createIntegrationsService } from "@devflow/domain-integrations";
import { buildOrganization } from "@devflow/testing";
import { summarize } from "../stats";

const SECONDS = Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOKS_CONCURRENCY ?? 32);
const POOL_MAX = Number(process.env.BENCH_WEBHOOKS_POOL_MAX ?? 10);
const PORT = Number(process.env.BENCH_WEBHOOKS_PORT ?? 3395);
const PROCESSING = process.env.BENCH_WEBHOOKS_PROCESSING ?? "same";
if (!["same", "separate", "none"].includes(PROCESSING)) {
  throw new Error(`BENCH_WEBHOOKS_PROCESSING must be same, separate or none, got "${PROCESSING}"`);
}
// Sent at full concurrency before the window, so every pool connection is open (and its backend
// has planned the statement) and the worker's JIT has compiled the hot path: the window measures
// the steady state, not the first seconds' ramp (200 deliveries one at a time left the window's
// first seconds at half to two thirds of the steady rate).
const WARM_UP = 2_000;
/** USER_HZ, the unit of /proc/<pid>/stat's utime and stime: 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const EVENTS = ["pull_request", "push", "deployment_status"];

async function startWorker(
  entry: string,
  port: number,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const main = path.resolve(import.meta.dirname, entry);
  const child = fork(main, [], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_WEBHOOKS_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    env: { ...process.env, ...env, WORKER_PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { child, url };
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error("the worker did not become ready within 60 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main() {
  const t = await createTestDatabase("postgres");
  const key = randomBytes(32);
  const acme = await buildOrganization(t.db, "Acme");
  const hook = await createIntegrationsService(t.db, { encryptionKey: new Uint8Array(key) }).connectGithubWebhook(
    acme.ctx,
  );
  const bodies = await Promise.all(
    EVENTS.map(async (event) => {
      const body = JSON.stringify(examples.find((e) => e.name === event)!.examples[0]);
      return { event, body, signature: await sign(hook.secret, body), bytes: Buffer.byteLength(body) };
    }),
  );
  const workerEnv = {
    DATABASE_URL: process.env.BENCH_WEBHOOKS_SOCKET
      ? `${t.appUrl!}${t.appUrl!.includes("?") ? "&" : "?"}host=${encodeURIComponent(process.env.BENCH_WEBHOOKS_SOCKET)}`
      : t.appUrl!,
    DATABASE_POOL_MAX: String(POOL_MAX),
    ENCRYPTION_KEY: key.toString("base64"),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    // One integration takes every delivery here: measure ingress, not the per-address cap.
    WEBHOOK_RATE_LIMIT_PER_MINUTE: "1000000",
  };
  const workers: { child: ChildProcess; url: string }[] = [];
  try {
    workers.push(
      await startWorker(
        PROCESSING === "same" ? "../../apps/worker/src/main.ts" : "./ingress-worker.ts",
        PORT,
        workerEnv,
      ),
    );
    if (PROCESSING === "separate") {
      workers.push(await startWorker("../../apps/worker/src/main.ts", PORT + 1, workerEnv));
    }
  } catch (error) {
    await stopWorkers(workers);
    await t.drop();
    throw error;
  }
  const target = `${workers[0]!.url}${hook.path}`;

  let sent = 0;
  const statuses = new Map<number, number>();
  // node:http with a keep-alive agent: fetch costs the load generator several times more CPU per
  // request, and on a small machine that CPU is taken from the worker being measured.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (event: string, body: string, signature: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-github-event": event,
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": signature,
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  const send = async (measure: number[] | null) => {
    const { event, body, signature } = bodies[sent++ % bodies.length]!;
    const t0 = performance.now();
    const status = await post(event, body, signature);
    measure?.push(performance.now() - t0);
    if (measure) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };

  try {
    // Before the warm-up, so it shows the machine's other work rather than this run's own.
    const loadBefore = loadavg()[0]!;
    let warmUpLeft = WARM_UP;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (warmUpLeft-- > 0) await send(null);
      }),
    );
    const samples: number[] = [];
    const cpuBefore = process.cpuUsage();
    const databaseName = new URL(t.appUrl!).pathname.slice(1);
    const workersCpuBefore = workers.map(({ child }) => processCpuMs(child.pid!));
    const postgresCpuBefore = postgresBackendCpu(databaseName);
    const started = performance.now();
    const stopAt = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) await send(samples);
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const accepted = statuses.get(202) ?? 0;
    const workersCpuMs = workers.reduce(
      (sum, { child }, i) => sum + processCpuMs(child.pid!) - workersCpuBefore[i]!,
      0,
    );
    const postgresCpuMs = cpuDelta(postgresCpuBefore, postgresBackendCpu(databaseName));
    const [stored, processed] = await t.db.withTenant(acme.ctx, (tx) =>
      Promise.all([
        tx.webhookDelivery.count(),
        tx.webhookDelivery.count({ where: { status: { in: ["processed", "failed"] } } }),
      ]),
    );
    const latency = summarize(samples);
    const perSecond = Math.round(accepted / elapsed);
    const result = {
      "deliveries/s": perSecond,
      ...latency,
      accepted,
      "other statuses": Object.fromEntries([...statuses].filter(([s]) => s !== 202)),
      // The warm-up's deliveries are stored too.
      "stored = accepted": stored === accepted + WARM_UP,
      concurrency: CONCURRENCY,
      processing: PROCESSING,
      // How far processing kept up: deliveries already processed (or failed) when the window closed.
      "processed by end": processed,
      "payload bytes": bodies.map((b) => b.bytes).join("/"),
      "load generator CPU s":
        Math.round((process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e5) / 10,
      // CPU per accepted delivery in the window, steadier than throughput on a shared machine: the
      // worker process(es), and the PostgreSQL backends serving this database (Linux only).
      "worker CPU ms/delivery": Math.round((workersCpuMs / accepted) * 1000) / 1000,
      "PostgreSQL CPU ms/delivery": Math.round((postgresCpuMs / accepted) * 1000) / 1000,
      "load 1m": `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
      target:
        perSecond >= 1000 && latency.p99 <= 50 && stored === accepted + WARM_UP
          ? "PASS (≥ 1,000/s, p99 ≤ 50 ms, every 202 stored)"
          : "FAIL (target ≥ 1,000/s, p99 ≤ 50 ms, every 202 stored)",
    };
    console.table([result]);
  } finally {
    agent.destroy();
    await stopWorkers(workers);
    await t.drop();
  }
}

/** utime+stime (ms) of one process, read from /proc; NaN where there is no /proc. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** utime+stime (ms) of the PostgreSQL backends serving `database`, by pid, read from /proc. */
function postgresBackendCpu(database: string): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync("/proc")) return out;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.startsWith("postgres:") || !cmdline.includes(` ${database} `)) continue;
      out.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = after.size === 0 ? NaN : 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function stopWorkers(workers: { child: ChildProcess }[]) {
  await Promise.all(
    workers.map(({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      return exited;
    }),
  );
}

await main();
