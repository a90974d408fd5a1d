import { createTestDatabase, testDatabaseTarget, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWorkflowRun } from "./start-workflow-run";
import { CRASH_EFFECT_ACTION, crashWorkflow, type CrashStepReport } from "./testing/crash-workflow";
import { requestedEvents } from "./testing/run-events";
import { getWorkflowRun } from "./workflow-runs.service";

// Kill the worker mid-workflow (SIGKILL, as a crash or an evicted container): the bus delivers the
// run's event again once its job expires, the next worker takes the run over once the dead one's
// lease lapses, resumes at the step that was cut off, and the run completes with each step's
// effect done once. Real processes on the PostgreSQL server; the embedded database is one process,
// so it has nothing to crash apart.

const CHILD = path.join(import.meta.dirname, "testing", "crash-workflow-worker.ts");
/** The runner's lease in the workers: a dead worker's run is free ~1 s after its last renewal. */
const LEASE_MS = 1_000;

type Message = { type: "ready"; pid: number } | CrashStepReport;

let t: TestDatabase;
let acme: OrganizationFixture;
const children: ChildProcess[] = [];
const messages: Message[] = [];

function startWorker(mode: "hang" | "normal"): Promise<ChildProcess> {
  const child = fork(CHILD, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: t.appUrl!, MODE: mode, LEASE_MS: String(LEASE_MS) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on("message", (message: Message) => {
      messages.push(message);
      if (message.type === "ready") resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

async function crash(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** The attempts each worker reported, as "step#attempt@worker". */
const attemptsReported = (workers: Record<string, ChildProcess>) =>
  messages.flatMap((m) => {
    if (m.type !== "step") return [];
    const worker = Object.entries(workers).find(([, child]) => child.pid === m.pid)?.[0] ?? String(m.pid);
    return [`${m.step}#${m.attempt}@${worker}`];
  });

/** The effects recorded for the run: one audit row per execution of a step's effect, as "step#attempt@pid". */
const effects = (runId: string) =>
  t.db.withTenant(acme.ctx, async (tx) => {
    const rows = await tx.auditLog.findMany({
      where: { action: CRASH_EFFECT_ACTION, targetId: runId },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => row.metadata as { step: string; attempt: number; pid: number });
  });

describe.skipIf(testDatabaseTarget() === "embedded")("a workflow worker killed mid-run", () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    acme = await buildOrganization(t.db, "Acme");
  });
  afterEach(async () => {
    await Promise.all(
      children
        .splice(0)
        .map((child) => (child.exitCode === null && child.signalCode === null ? crash(child) : undefined)),
    );
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("leaves the run to the next worker, which resumes it and completes it once", { timeout: 90_000 }, async () => {
    // The parent only starts runs: the definition gives startWorkflowRun its name and steps.
    const workflow = crashWorkflow({ db: t.db, mode: "normal", report: () => {} });
    const { runId } = await t.db.withTenant(acme.ctx, (tx) =>
      startWorkflowRun(tx, { organizationId: acme.organization.id, workflow, triggerKey: randomUUID(), input: {} }),
    );

    const a = await startWorker("hang");
    await expect.poll(() => attemptsReported({ a }), { timeout: 20_000 }).toEqual(["one#1@a", "two#1@a"]);
    // Step one's effect committed before step two started; step two has done nothing yet.
    expect(await effects(runId)).toEqual([{ step: "one", attempt: 1, pid: a.pid }]);
    await crash(a);
    const halfway = await getWorkflowRun(t.db, acme.ctx, runId);
    expect(halfway.status).toBe("running");
    expect(halfway.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ["one", "succeeded", 1],
      ["two", "running", 1],
      ["three", "queued", 0],
    ]);

    const b = await startWorker("normal");
    await expect
      .poll(async () => (await getWorkflowRun(t.db, acme.ctx, runId)).status, { timeout: 60_000, interval: 250 })
      .toBe("succeeded");

    // B never ran step one (it had succeeded), and redid step two from its next attempt.
    expect(attemptsReported({ a, b })).toEqual(["one#1@a", "two#1@a", "two#2@b", "three#1@b"]);
    expect(await effects(runId)).toEqual([
      { step: "one", attempt: 1, pid: a.pid },
      { step: "two", attempt: 2, pid: b.pid },
      { step: "three", attempt: 1, pid: b.pid },
    ]);
    const run = await getWorkflowRun(t.db, acme.ctx, runId);
    expect(run).toMatchObject({ error: null, output: { step: "three", pid: b.pid } });
    // Step two's row counts the attempt the crash cut off: the runner finds the step still
    // "running" with attempts = 1, counts that attempt as failed (its error stays on the row for the
    // trail) and succeeds on attempt 2. Step one keeps the single attempt worker A recorded.
    expect(run.steps.map((s) => [s.name, s.status, s.attempts, s.error])).toEqual([
      ["one", "succeeded", 1, null],
      ["two", "succeeded", 2, "The worker stopped during attempt 1"],
      ["three", "succeeded", 1, null],
    ]);
    expect(run.steps[1]!.output).toEqual({ step: "two", pid: b.pid });
    // No new event was needed: the bus redelivered the run's only one.
    expect(await requestedEvents(t.db, acme.organization.id, runId)).toHaveLength(1);
  });
});
