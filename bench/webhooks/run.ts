/**
 * npm run bench:webhooks — webhook ingress: deliveries per second accepted durably, and the
 * acceptance latency, of the worker as production starts it (`apps/worker/src/main.ts` in its own
 * process, on PostgreSQL through the app role), from a load generator in this process over HTTP
 * keep-alive. Every delivery is a real GitHub payload (pull_request, push, deployment_status from
 * @octokit/webhooks-examples) with a valid X-Hub-Signature-256 and its own delivery id; "accepted"
 * means answered 202, which the worker sends only after the delivery and its event are committed.
 * Afterwards the stored rows are counted: every 202 must be in the database.
 * Targets: ≥ 1,000 deliveries/s and p99 ≤ 50 ms. See bench/README.md for the env.
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
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
const WARM_UP = 200;

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const EVENTS = ["pull_request", "push", "deployment_status"];

async function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const main = path.resolve(import.meta.dirname, "../../apps/worker/src/main.ts");
  const child = fork(main, [], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_WEBHOOKS_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { child, url };
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("the worker did not become ready within 60 s");
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
  const { child, url } = await startWorker({
    DATABASE_URL: process.env.BENCH_WEBHOOKS_SOCKET
      ? `${t.appUrl!}${t.appUrl!.includes("?") ? "&" : "?"}host=${encodeURIComponent(process.env.BENCH_WEBHOOKS_SOCKET)}`
      : t.appUrl!,
    DATABASE_POOL_MAX: String(POOL_MAX),
    ENCRYPTION_KEY: key.toString("base64"),
    WORKER_PORT: String(PORT),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    // One integration takes every delivery here: measure ingress, not the per-address cap.
    WEBHOOK_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const target = `${url}${hook.path}`;

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
    for (let i = 0; i < WARM_UP; i++) await send(null);
    const samples: number[] = [];
    const loadBefore = loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const stopAt = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) await send(samples);
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const accepted = statuses.get(202) ?? 0;
    const stored = await t.db.withTenant(acme.ctx, (tx) => tx.webhookDelivery.count());
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
      "payload bytes": bodies.map((b) => b.bytes).join("/"),
      "load generator CPU s":
        Math.round((process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e5) / 10,
      "load 1m": `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
      target:
        perSecond >= 1000 && latency.p99 <= 50 && stored === accepted + WARM_UP
          ? "PASS (≥ 1,000/s, p99 ≤ 50 ms, every 202 stored)"
          : "FAIL (target ≥ 1,000/s, p99 ≤ 50 ms, every 202 stored)",
    };
    console.table([result]);
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await t.drop();
  }
}

await main();
