/**
 * npm run bench:collab — the DevFlow collab service (every op committed to PostgreSQL before its
 * ack) against ShareDB with its in-memory backend, in the same run, on the same machine. Each
 * server runs in its own child process (so its CPU and RSS are its own); the editors run in a
 * separate load-generator process over real sockets. Numbers are for this machine at this moment.
 *
 * Env: BENCH_COLLAB_SECONDS (window per scenario, default 15), BENCH_COLLAB_DRAIN_SECONDS
 * (default 10), BENCH_COLLAB_ONLY (substring of a scenario name), BENCH_COLLAB_SERVER_NODE_ARGS
 * (extra node flags for the server processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * BENCH_COLLAB_POOL_MAX (the DevFlow server's DATABASE_POOL_MAX; default: the service default),
 * BENCH_COLLAB_TEXT_KB (each document's starting size; default about 2.7 kB),
 * TEST_DATABASE_URL.
 */
import { fork, execFileSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServiceTokenSigner, generateServiceTokenKeyPair, SERVICE_TOKEN_ISSUER } from "@devflow/auth";
import { createTestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization } from "@devflow/testing";
import { round, summarize } from "../stats";
import { measureCommitFloor, type CommitFloor } from "./commit-floor";
import { evaluateTargets, printTable } from "./report";
import {
  INITIAL_TEXT,
  textOfSize,
  ipcClient,
  sha1,
  type LoadPlan,
  type LoadResult,
  type ResourceReading,
  type Scenario,
} from "./shared";

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_COLLAB_SECONDS ?? 15);
const DRAIN_SECONDS = Number(process.env.BENCH_COLLAB_DRAIN_SECONDS ?? 10);
const ONLY = process.env.BENCH_COLLAB_ONLY;
const SERVER_NODE_ARGS = (process.env.BENCH_COLLAB_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const POOL_MAX = process.env.BENCH_COLLAB_POOL_MAX ? Number(process.env.BENCH_COLLAB_POOL_MAX) : undefined;
/** Every document's starting text: ~2.7 kB by default; BENCH_COLLAB_TEXT_KB for large documents. */
const TEXT = process.env.BENCH_COLLAB_TEXT_KB
  ? textOfSize(Number(process.env.BENCH_COLLAB_TEXT_KB) * 1024)
  : INITIAL_TEXT;
const USERS = 50;
const LIFTED_RATE_LIMIT = { burst: 100_000, perSecond: 100_000 };

const SCENARIOS: Scenario[] = [
  { name: "10 docs x 5 editors x 5 ops/s", docs: 10, editorsPerDoc: 5, opsPerSecond: 5 },
  { name: "1 doc x 50 editors x 2 ops/s", docs: 1, editorsPerDoc: 50, opsPerSecond: 2 },
  { name: "200 docs x 2 editors x 2 ops/s", docs: 200, editorsPerDoc: 2, opsPerSecond: 2 },
  { name: "closed loop, 1 client", docs: 1, editorsPerDoc: 1, opsPerSecond: 0, closedLoop: true },
];

type Target = "devflow" | "devflow-unlimited" | "sharedb";
const LABEL: Record<Target, string> = {
  devflow: "DevFlow (Postgres)",
  "devflow-unlimited": "DevFlow, op rate limit lifted",
  sharedb: "ShareDB (in-memory)",
};

function child(file: string, nodeArgs: string[] = []): ChildProcess {
  return fork(join(here, file), [], {
    execArgv: ["--import", "tsx", ...nodeArgs],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** utime+stime (ms) of the PostgreSQL backends serving `database`, by pid, read from /proc. */
function postgresBackendCpu(database: string): Map<number, number> {
  const ticksPerSecond = 100;
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.startsWith("postgres:") || !cmdline.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond);
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function main() {
  const started = performance.now();
  process.stdout.write("Setting up PostgreSQL test database, users and servers...\n");
  const t = await createTestDatabase("postgres");
  const databaseName = new URL(t.appUrl!).pathname.slice(1);
  const org = await buildOrganization(t.db, "Bench");
  const users = [org.owner.id];
  for (let i = 1; i < USERS; i++) users.push((await org.addMember("member", `Editor ${i}`)).user.id);
  const project = await createProjectsService(t.db).create(org.ctx, { name: "Collab bench", description: "" });
  const documents = createDocumentsService(t.db);
  const signer = await createServiceTokenSigner({
    privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
    issuer: SERVICE_TOKEN_ISSUER,
  });

  const children: ChildProcess[] = [];
  const servers = {} as Record<Target, { call: ReturnType<typeof ipcClient>; url: string; pid: number }>;
  const startServer = async (target: Target) => {
    const proc = child(target === "sharedb" ? "sharedb-server.ts" : "devflow-server.ts", SERVER_NODE_ARGS);
    children.push(proc);
    const call = ipcClient(proc);
    const info =
      target === "sharedb"
        ? await call<{ url: string; pid: number }>("start")
        : await call<{ url: string; pid: number }>("start", {
            databaseUrl: t.appUrl,
            jwks: signer.publicJwks(),
            ...(target === "devflow-unlimited" && { opRateLimit: LIFTED_RATE_LIMIT }),
            ...(POOL_MAX && { poolMax: POOL_MAX }),
          });
    servers[target] = { call, ...info };
  };

  const results: Record<string, unknown>[] = [];
  let floor: CommitFloor | undefined;
  try {
    await startServer("devflow");
    await startServer("sharedb");
    await startServer("devflow-unlimited");

    const scenarios = SCENARIOS.filter((s) => !ONLY || s.name.includes(ONLY));
    for (const [index, scenario] of scenarios.entries()) {
      const targets: Target[] = scenario.closedLoop
        ? ["devflow", "devflow-unlimited", "sharedb"]
        : ["devflow", "sharedb"];
      if (scenario.closedLoop) {
        process.stdout.write(`\n${scenario.name} — PostgreSQL alone, one durable insert per round trip: `);
        floor = await measureCommitFloor(t.owner, t.appUrl!, Math.min(SECONDS, 5) * 1000);
        process.stdout.write(`${floor.opsPerSecond} commits/s, latency ${JSON.stringify(floor.latency)}\n`);
      }
      for (const target of targets) {
        process.stdout.write(`\n${scenario.name} — ${LABEL[target]}: `);
        const server = servers[target];
        const isDevFlow = target !== "sharedb";
        let documentIds: string[];
        if (isDevFlow) {
          documentIds = [];
          for (let i = 0; i < scenario.docs; i += 10) {
            const batch = await Promise.all(
              Array.from({ length: Math.min(10, scenario.docs - i) }, (_, k) =>
                documents.create(org.ctx, project.id, {
                  title: `${scenario.name} ${i + k}`,
                  kind: "design_doc",
                  content: TEXT,
                }),
              ),
            );
            documentIds.push(...batch.map((d) => d.id));
          }
        } else {
          documentIds = Array.from({ length: scenario.docs }, () => randomUUID());
          await server.call("create", { ids: documentIds, text: TEXT });
        }
        const tokens = isDevFlow
          ? await Promise.all(
              users.map(async (userId, i) => {
                const role = i === 0 ? "owner" : "member";
                return (
                  await signer.sign(
                    { userId, organizationId: org.organization.id, role },
                    { audience: "devflow-collab" },
                  )
                ).token;
              }),
            )
          : [];
        const plan: LoadPlan = {
          system: isDevFlow ? "devflow" : "sharedb",
          scenario,
          url: server.url,
          documentIds,
          tokens,
          durationMs: SECONDS * 1000,
          drainMs: DRAIN_SECONDS * 1000,
          seed: 1000 + index,
        };

        const generator = child("load.ts");
        children.push(generator);
        let resources: Promise<ResourceReading & { transactions?: unknown }> | undefined;
        let pgBefore = new Map<number, number>();
        let pgCpuMs = 0;
        // Other work on the machine skews every latency here: the 1-minute load average at the
        // window's start and end goes next to each row, so a disturbed run shows as one.
        const load = { start: 0, end: 0 };
        const result = await new Promise<LoadResult>((resolve, reject) => {
          generator.on("message", (raw) => {
            const message = raw as { event: string; result?: LoadResult; error?: string };
            if (message.event === "window-start") {
              load.start = loadavg()[0]!;
              void server.call("mark");
              if (isDevFlow) pgBefore = postgresBackendCpu(databaseName);
            } else if (message.event === "window-end") {
              load.end = loadavg()[0]!;
              resources = server.call<ResourceReading & { transactions?: unknown }>("read");
              if (isDevFlow) pgCpuMs = cpuDelta(pgBefore, postgresBackendCpu(databaseName));
            } else if (message.event === "result") resolve(message.result!);
            else if (message.event === "error") reject(new Error(message.error));
          });
          generator.once("exit", (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
          generator.send(plan);
        });
        const usage = await resources!;

        const serverTexts: Record<string, string> = {};
        let durable: { documents: number; opsMatchVersion: boolean } | undefined;
        if (isDevFlow) {
          const rows = await t.db.withTenant(org.ctx, async (tx) => ({
            docs: await tx.document.findMany({
              where: { id: { in: documentIds } },
              select: { id: true, content: true, version: true },
            }),
            ops: await tx.documentOperation.groupBy({
              by: ["documentId"],
              where: { documentId: { in: documentIds } },
              _count: { _all: true },
            }),
          }));
          const opCount = new Map(rows.ops.map((r) => [r.documentId, r._count._all]));
          for (const d of rows.docs) serverTexts[d.id] = d.content;
          durable = {
            documents: rows.docs.length,
            opsMatchVersion: rows.docs.every((d) => (opCount.get(d.id) ?? 0) === d.version),
          };
        } else {
          const texts = await server.call<Record<string, { text: string }>>("texts", { ids: documentIds });
          for (const [id, { text }] of Object.entries(texts)) serverTexts[id] = text;
        }
        let converged = 0;
        for (const id of documentIds) {
          const expected = sha1(serverTexts[id] ?? "");
          if ((result.finalHashes[id] ?? []).every((h) => h === expected)) converged += 1;
        }

        const windowSeconds = result.windowMs / 1000;
        const row = {
          scenario: scenario.name,
          system: LABEL[target],
          ack: summarize(result.ack),
          remoteApply: summarize(result.remote),
          editToAck: summarize(result.editAck),
          opsPerSecond: round(result.opsAckedInWindow / windowSeconds),
          editsSubmittedPerSecond: round(result.editsSubmitted / windowSeconds),
          editsProcessedInWindowPerSecond: round(result.editsAckedInWindow / windowSeconds),
          editsSubmitted: result.editsSubmitted,
          editsProcessed: result.editsAcked,
          processedPercent: round((100 * result.editsAcked) / Math.max(1, result.editsSubmitted), 2),
          opsSent: result.opsSent,
          opsAcked: result.opsAcked,
          serverCpuPercent: round(usage.cpuPercent),
          postgresBackendsCpuPercent: isDevFlow ? round((100 * pgCpuMs) / usage.elapsedMs) : null,
          serverRssMb: round(usage.rssMb),
          serverEventLoopDelayMs: usage.eventLoopDelayMs,
          serverGc: usage.gc,
          serverPeakRssMb: round(usage.peakRssMb),
          converged: `${converged}/${documentIds.length}`,
          unsyncedClients: result.unsyncedClients,
          refusals: result.refusals,
          protocolErrors: result.protocolErrors,
          ...(durable && { durable }),
          ...(usage.transactions !== undefined && { databaseTransactions: usage.transactions }),
          machineLoad1m: { start: round(load.start, 2), end: round(load.end, 2) },
          joinMs: round(result.joinMs),
          loadGenerator: {
            cpuPercent: round((100 * result.loadCpuMs) / result.windowMs),
            eventLoopDelayP99Ms: round(result.loadEventLoopP99Ms),
          },
          windowSeconds: round(windowSeconds, 2),
        };
        results.push(row);
        process.stdout.write(
          `ack p99 ${row.ack.p99} ms, ${row.opsPerSecond} ops/s, ${row.processedPercent}% processed, converged ${row.converged}` +
            `, server event loop delay ${JSON.stringify(usage.eventLoopDelayMs)}, gc ${JSON.stringify(usage.gc)}` +
            (usage.transactions ? `, db transactions ${JSON.stringify(usage.transactions)}` : "") +
            "\n",
        );
      }
    }
  } finally {
    for (const target of Object.keys(servers) as Target[]) await servers[target].call("stop").catch(() => undefined);
    await Promise.all(children.map((c) => stopChild(c)));
    await t.drop();
  }

  printTable(results);
  const targets = evaluateTargets(results, LABEL.sharedb, floor);
  for (const line of targets) process.stdout.write(`${line}\n`);

  const report = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length },
    windowSeconds: SECONDS,
    drainSeconds: DRAIN_SECONDS,
    initialTextBytes: TEXT.length,
    results,
    ...(floor && { durableCommitFloor: floor }),
    targets,
    totalSeconds: round((performance.now() - started) / 1000),
  };
  const file = join(here, "..", "results", `collab-${report.date.slice(0, 10)}.json`);
  if (isGitIgnored(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\nWrote ${file}\n`);
  } else {
    process.stdout.write(`\nbench/results is not gitignored, so the JSON is printed rather than written:\n`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
}

/** Lets a child exit on its own (closing its IPC channel ends it), then kills it after 5 s. */
async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((resolve) => c.once("exit", resolve));
  if (c.connected) c.disconnect();
  const timer = setTimeout(() => c.kill(), 5000);
  await exited;
  clearTimeout(timer);
}

function isGitIgnored(file: string): boolean {
  try {
    execFileSync("git", ["check-ignore", "-q", file], { cwd: here, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
