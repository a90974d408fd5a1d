/**
 * A worker process for the workflow crash test (workflow-runner-crash.int.test.ts): the outbox
 * relay and the workflow runner on the Postgres bus, with the crash-test workflow, reporting each
 * step's attempt over IPC. MODE=hang wedges in step two; MODE=normal runs every step. The parent
 * kills it with SIGKILL, as a crash or an evicted container would.
 */
import { connectDatabase } from "@devflow/db";
import { createOutboxRelay, createPgBossEventBus } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import { createWorkflowRunner } from "../workflow-runner";
import { crashWorkflow, type CrashWorkflowMode } from "./crash-workflow";

const { DATABASE_URL, MODE, LEASE_MS } = process.env;
if (!DATABASE_URL || (MODE !== "hang" && MODE !== "normal") || !LEASE_MS || !process.send)
  throw new Error("crash-workflow-worker needs DATABASE_URL, MODE (hang|normal), LEASE_MS and IPC");
const send = (message: object) => void process.send!(message);

// Silent unless asked (CRASH_WORKER_LOG_LEVEL=debug), so a passing run prints nothing.
const logger = createLogger({ service: "worker", level: process.env.CRASH_WORKER_LOG_LEVEL ?? "silent" });
const db = await connectDatabase({ databaseUrl: DATABASE_URL, poolMax: 3 });
const bus = createPgBossEventBus({
  connectionString: DATABASE_URL,
  // Expired jobs are noticed every second (the runner's queue expires them after 2 s, below).
  maintenanceIntervalSeconds: 1,
  logger,
});
const runner = createWorkflowRunner(db, {
  workflows: [crashWorkflow({ db, mode: MODE as CrashWorkflowMode, report: send })],
  // Short, so the next worker need not wait a minute for a dead one's lease to lapse.
  leaseMs: Number(LEASE_MS),
  logger,
});
// A job lost with its worker comes back within ~3 s instead of the runner's own 3 minutes.
await bus.subscribe(runner, { maxAttempts: 10, baseDelaySeconds: 1, expireInSeconds: 2 });
// After the subscription: an event relayed before its queue exists would be delivered to no one.
createOutboxRelay(db, bus, { logger }).start();
send({ type: "ready", pid: process.pid });
