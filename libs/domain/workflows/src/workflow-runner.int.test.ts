import { WORKFLOW_JSON_BYTES_MAX } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { notFound } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startWorkflowRun } from "./start-workflow-run";
import { deferred, requestedEvents, type RunRequested } from "./testing/run-events";
import { defineWorkflow, type WorkflowDefinition, type WorkflowStep } from "./workflow-definition";
import { createWorkflowRunner, type AnyWorkflowDefinition, type WorkflowRunnerOptions } from "./workflow-runner";
import { getWorkflowRun, retryWorkflowRun } from "./workflow-runs.service";

// The runner on the app role, both databases: events are handed to it directly, so a test can
// deliver one again, or twice at once, exactly when it wants to.

let t: TestDatabase;
let acme: OrganizationFixture;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
});
afterAll(async () => {
  await t?.drop();
});

/** Counts each step's executions (attempts), by name. */
function counter() {
  const counts: Record<string, number> = {};
  return { counts, count: (name: string) => (counts[name] = (counts[name] ?? 0) + 1) };
}

/** A step that counts its attempts, then does `then` (by default, returns its own name). */
function step(
  name: string,
  count: (name: string) => number,
  then: WorkflowStep["run"] = async () => ({ step: name }),
  extra: Partial<WorkflowStep> = {},
): WorkflowStep {
  return {
    name,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
    run: async (ctx) => (count(name), then(ctx)),
  };
}

/** Starts a run of `workflow` in Acme and returns it with its first event. */
async function start<I>(workflow: WorkflowDefinition<I>, input: I): Promise<{ runId: string; event: RunRequested }> {
  const { runId } = await t.db.withTenant(acme.ctx, (tx) =>
    startWorkflowRun(tx, { organizationId: acme.organization.id, workflow, triggerKey: randomUUID(), input }),
  );
  const [event] = await requestedEvents(t.db, acme.organization.id, runId);
  return { runId, event: event! };
}

const runnerOf = (workflows: AnyWorkflowDefinition[], options: Partial<WorkflowRunnerOptions> = {}) =>
  createWorkflowRunner(t.db, { workflows, ...options });
const read = (runId: string) => getWorkflowRun(t.db, acme.ctx, runId);

describe("the workflow runner", () => {
  it("runs the steps in order, each seeing the run's input and the outputs before it, and records everything", async () => {
    const seen: unknown[] = [];
    const workflow = defineWorkflow<{ n: number }>({
      name: "arithmetic",
      inputSchema: z.object({ n: z.number() }),
      steps: [
        {
          name: "double",
          input: (ctx) => ({ n: ctx.input.n }),
          run: async (ctx) => {
            seen.push({ step: ctx.step, stepInput: ctx.stepInput, attempt: ctx.attempt, tenant: ctx.tenant });
            return { value: ctx.input.n * 2, at: new Date("2026-11-30T10:00:00Z") };
          },
        },
        {
          name: "add-one",
          run: async (ctx) => {
            seen.push({ step: ctx.step, outputs: ctx.outputs });
            return { value: (ctx.outputs.double as { value: number }).value + 1 };
          },
        },
        { name: "nothing", run: async (ctx) => void seen.push({ step: ctx.step, outputs: Object.keys(ctx.outputs) }) },
        { name: "report", run: async (ctx) => `result: ${(ctx.outputs["add-one"] as { value: number }).value}` },
      ],
    });
    const { runId, event } = await start(workflow, { n: 20 });
    expect((await read(runId)).steps.map((s) => [s.position, s.name, s.status])).toEqual([
      [0, "double", "queued"],
      [1, "add-one", "queued"],
      [2, "nothing", "queued"],
      [3, "report", "queued"],
    ]);

    await runnerOf([workflow]).handle(event);

    expect(seen).toEqual([
      { step: "double", stepInput: { n: 20 }, attempt: 1, tenant: { organizationId: acme.organization.id } },
      { step: "add-one", outputs: { double: { value: 40, at: "2026-11-30T10:00:00.000Z" } } },
      { step: "nothing", outputs: ["double", "add-one"] },
    ]);
    const run = await read(runId);
    expect(run).toMatchObject({
      status: "succeeded",
      input: { n: 20 },
      output: "result: 41",
      error: null,
      stepCount: 4,
      succeededStepCount: 4,
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.steps.map((s) => [s.name, s.status, s.attempts, s.input, s.output])).toEqual([
      ["double", "succeeded", 1, { n: 20 }, { value: 40, at: "2026-11-30T10:00:00.000Z" }],
      ["add-one", "succeeded", 1, null, { value: 41 }],
      ["nothing", "succeeded", 1, null, null],
      ["report", "succeeded", 1, null, "result: 41"],
    ]);
    for (const s of run.steps) {
      expect(s.startedAt && s.finishedAt && s.startedAt <= s.finishedAt).toBe(true);
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }

    // The bus delivers at least once: a redelivery of a finished run changes nothing.
    await runnerOf([workflow]).handle(event);
    expect(seen).toHaveLength(3);
    expect(await read(runId)).toEqual(run);
  });

  it("retries a failing step with backoff, then goes on, keeping the last failure for the trail", async () => {
    const { counts, count } = counter();
    const workflow = defineWorkflow({
      name: "flaky",
      steps: [
        step("flaky", count, async () => {
          if (counts.flaky! < 3) throw new Error(`GitHub answered 502 (attempt ${counts.flaky})`);
          return { ok: true };
        }),
        step("after", count),
      ],
    });
    const { runId, event } = await start(workflow, {});
    await runnerOf([workflow]).handle(event);

    expect(counts).toEqual({ flaky: 3, after: 1 });
    const run = await read(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]).toMatchObject({
      status: "succeeded",
      attempts: 3,
      output: { ok: true },
      error: "GitHub answered 502 (attempt 2)",
      nextAttemptAt: null,
    });
  });

  it("gives up on an attempt that runs past its timeout, and tries again", async () => {
    const { counts, count } = counter();
    const workflow = defineWorkflow({
      name: "slow",
      steps: [
        step(
          "slow",
          count,
          // The first attempt ignores its signal and never ends: the runner abandons it.
          async () => (counts.slow === 1 ? new Promise(() => {}) : "fast enough"),
          { timeoutMs: 100 },
        ),
      ],
    });
    const { runId, event } = await start(workflow, {});
    await runnerOf([workflow]).handle(event);
    expect((await read(runId)).steps[0]).toMatchObject({
      status: "succeeded",
      attempts: 2,
      output: "fast enough",
      error: "StepTimeoutError: Step slow timed out after 100 ms",
    });
  });

  it("fails a step at once for an error that says retrying is pointless, or an output too large to keep", async () => {
    const { counts, count } = counter();
    const workflow = defineWorkflow({
      name: "pointless",
      steps: [step("fetch-pr", count, async () => Promise.reject(notFound("Pull request", "acme/api#42")))],
    });
    const { runId, event } = await start(workflow, {});
    await expect(runnerOf([workflow]).handle(event)).resolves.toBeUndefined();
    expect(counts).toEqual({ "fetch-pr": 1 });
    expect(await read(runId)).toMatchObject({
      status: "failed",
      error: "Step fetch-pr failed after 1 attempt: Pull request acme/api#42 was not found",
    });

    const bloated = defineWorkflow({
      name: "bloated",
      steps: [step("analyse", count, async () => ({ text: "x".repeat(WORKFLOW_JSON_BYTES_MAX) }))],
    });
    const second = await start(bloated, {});
    await runnerOf([bloated]).handle(second.event);
    expect(counts.analyse).toBe(1);
    const failed = await read(second.runId);
    expect(failed.steps[0]).toMatchObject({ status: "failed", attempts: 1, output: null });
    expect(failed.error).toMatch(
      /^Step analyse failed after 1 attempt: The output of step analyse is \d+ bytes of JSON; at most 262144 are stored/,
    );
  });

  it("records a step that always fails and fails the run without throwing; a retry runs from that step only", async () => {
    const { counts, count } = counter();
    let isBroken = true;
    const workflow = defineWorkflow({
      name: "broken",
      steps: [
        step("fetch", count),
        step(
          "post-comment",
          count,
          async () => {
            if (isBroken) throw new Error("Slack token revoked");
            return { posted: true };
          },
          { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
        ),
        step("check-run", count),
      ],
    });
    const { runId, event } = await start(workflow, {});
    await expect(runnerOf([workflow]).handle(event)).resolves.toBeUndefined();

    expect(counts).toEqual({ fetch: 1, "post-comment": 2 });
    const failed = await read(runId);
    expect(failed).toMatchObject({
      status: "failed",
      error: "Step post-comment failed after 2 attempts: Slack token revoked",
    });
    expect(failed.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ["fetch", "succeeded", 1],
      ["post-comment", "failed", 2],
      ["check-run", "queued", 0],
    ]);
    expect(failed.finishedAt).not.toBeNull();

    isBroken = false;
    const requeued = await retryWorkflowRun(t.db, acme.ctx, runId);
    expect(requeued).toMatchObject({ status: "queued", error: null, startedAt: null, finishedAt: null });
    expect(requeued.steps.map((s) => [s.name, s.status, s.attempts, s.error])).toEqual([
      ["fetch", "succeeded", 1, null],
      ["post-comment", "queued", 0, null],
      ["check-run", "queued", 0, null],
    ]);
    const events = await requestedEvents(t.db, acme.organization.id, runId);
    expect(events).toHaveLength(2);

    await runnerOf([workflow]).handle(events[1]!);
    expect(counts).toEqual({ fetch: 1, "post-comment": 3, "check-run": 1 });
    const run = await read(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]!.output).toEqual({ step: "fetch" });
  });

  it("resumes an interrupted run at the step after the last that succeeded, which does not run again", async () => {
    const { counts, count } = counter();
    const shutdown = new AbortController();
    const workflow = defineWorkflow({
      name: "interrupted",
      steps: [
        // The worker starts stopping while step one runs: step one finishes, step two does not start.
        step("one", count, async () => (shutdown.abort(), { step: "one" })),
        step("two", count),
        step("three", count, async (ctx) => ({ sawOne: ctx.outputs.one })),
      ],
    });
    const { runId, event } = await start(workflow, {});
    await expect(runnerOf([workflow], { signal: shutdown.signal }).handle(event)).rejects.toMatchObject({
      code: "unavailable",
      retryable: true,
    });
    const halfway = await read(runId);
    expect(halfway.status).toBe("running");
    expect(halfway.steps.map((s) => s.status)).toEqual(["succeeded", "queued", "queued"]);

    // The bus delivers the unacknowledged event again, to a worker that stays. The lease was freed,
    // so it need not wait for it to lapse.
    await runnerOf([workflow]).handle(event);
    expect(counts).toEqual({ one: 1, two: 1, three: 1 });
    expect(await read(runId)).toMatchObject({ status: "succeeded", output: { sawOne: { step: "one" } } });
  });

  it("takes over a run whose worker stopped renewing its lease, and the old delivery writes nothing more", async () => {
    const { counts, count } = counter();
    const entered = deferred();
    const workflow = defineWorkflow({
      name: "abandoned",
      steps: [
        step("one", count),
        step("two", count, async (ctx) => {
          if (counts.two! > 1) return { by: "the second delivery" };
          entered.resolve();
          // A worker that hangs here: only losing its lease ends the wait.
          return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
        }),
        step("three", count),
      ],
    });
    const { runId, event } = await start(workflow, {});
    // Caught at once: it fails while the second delivery is still running.
    const first = runnerOf([workflow], { leaseMs: 300 })
      .handle(event)
      .then(
        () => "finished",
        (error: unknown) => error,
      );
    await entered.promise;

    // The second delivery's clock is an hour ahead: to it, the first one's lease lapsed long ago.
    const later = () => new Date(Date.now() + 3_600_000);
    await runnerOf([workflow], { now: later }).handle(event);
    expect(await first).toMatchObject({ code: "conflict", retryable: true });

    expect(counts).toEqual({ one: 1, two: 2, three: 1 });
    const run = await read(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps[1]).toMatchObject({
      status: "succeeded",
      attempts: 2,
      output: { by: "the second delivery" },
      error: "The worker stopped during attempt 1",
    });
  });

  it("lets one of several deliveries at once run the steps, and tells the others to try later", async () => {
    const { counts, count } = counter();
    const entered = deferred();
    const gate = deferred();
    const workflow = defineWorkflow({
      name: "many-deliveries",
      steps: [step("one", count, async () => (entered.resolve(), await gate.promise, "one")), step("two", count)],
    });
    const { runId, event } = await start(workflow, {});
    const runner = runnerOf([workflow]);
    // Two at the same moment (a duplicate Pub/Sub delivery), then a third while step one runs.
    // Settled as they come: the refused one rejects while the test still waits for step one.
    const deliveries = Promise.allSettled([runner.handle(event), runner.handle(event)]);
    await entered.promise;
    await expect(runner.handle(event)).rejects.toMatchObject({ code: "conflict", retryable: true });
    gate.resolve();
    const outcomes = await deliveries;
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    expect(counts).toEqual({ one: 1, two: 1 });

    // The bus's retry of a refused delivery finds the run finished.
    await runner.handle(event);
    expect(counts).toEqual({ one: 1, two: 1 });
    expect((await read(runId)).status).toBe("succeeded");
  });

  it("fails a run of a workflow this worker does not know, saying so", async () => {
    const { count } = counter();
    const ghost = defineWorkflow({ name: "ghost", steps: [step("boo", count)] });
    const { runId, event } = await start(ghost, {});
    await expect(runnerOf([]).handle(event)).resolves.toBeUndefined();
    expect(await read(runId)).toMatchObject({
      status: "failed",
      error: 'No workflow named "ghost" is registered with this worker, so the run cannot be executed',
    });
  });

  it("does nothing for an event whose run does not exist (another organization's id, or deleted)", async () => {
    const { count } = counter();
    const workflow = defineWorkflow({ name: "orphan", steps: [step("one", count)] });
    const { event } = await start(workflow, {});
    const stray = { ...event, id: randomUUID(), data: { ...event.data, runId: randomUUID() } };
    await expect(runnerOf([workflow]).handle(stray)).resolves.toBeUndefined();
  });
});
