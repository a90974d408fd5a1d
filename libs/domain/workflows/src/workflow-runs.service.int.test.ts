import type { RequestContext } from "@devflow/auth";
import { WORKFLOW_JSON_BYTES_MAX } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startWorkflowRun } from "./start-workflow-run";
import { requestedEvents } from "./testing/run-events";
import { defineWorkflow } from "./workflow-definition";
import { createWorkflowRunner, type AnyWorkflowDefinition } from "./workflow-runner";
import { getWorkflowRun, listWorkflowRuns, retryWorkflowRun } from "./workflow-runs.service";

// Starting runs, and the admin side (list, detail, retry): idempotent triggers, policy, paging,
// and one organization never seeing another's runs.

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let acmeMember: RequestContext;
let isBroken = true;

const review = defineWorkflow<{ pr: number }>({
  name: "pr-review",
  inputSchema: z.object({ pr: z.number().int() }),
  steps: [
    { name: "fetch", run: async (ctx) => ({ pr: ctx.input.pr }) },
    {
      name: "comment",
      retry: { attempts: 1 },
      run: async () => {
        if (isBroken) throw new Error("GitHub is down");
        return { commented: true };
      },
    },
  ],
});
const other = defineWorkflow({ name: "other", steps: [{ name: "only", run: async () => "done" }] });

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  acmeMember = await acme.addMember("member");
});
afterAll(async () => {
  await t?.drop();
});

function start(org: OrganizationFixture, triggerKey: string, input: unknown, workflow: AnyWorkflowDefinition = review) {
  return t.db.withTenant(org.ctx, (tx) =>
    startWorkflowRun(tx, { organizationId: org.organization.id, workflow, triggerKey, input }),
  );
}

/** Starts a run and delivers its event, so it ends failed while `isBroken`. */
async function startAndRun(org: OrganizationFixture, workflow: AnyWorkflowDefinition = review): Promise<string> {
  const { runId } = await start(org, randomUUID(), { pr: 7 }, workflow);
  const [event] = await requestedEvents(t.db, org.organization.id, runId);
  await createWorkflowRunner(t.db, { workflows: [review, other] }).handle(event!);
  return runId;
}

describe("starting a workflow run", () => {
  it("makes one run per trigger key, with its steps queued and one event, however often it is asked", async () => {
    const key = `github:pull_request:acme/api#42:${randomUUID()}`;
    const first = await start(acme, key, { pr: 42 });
    const again = await start(acme, key, { pr: 43 });
    expect(first.created).toBe(true);
    expect(again).toEqual({ runId: first.runId, created: false });
    // Two at once: the second waits for the first's insert, then finds it.
    const racing = await Promise.all([start(acme, `${key}:b`, { pr: 1 }), start(acme, `${key}:b`, { pr: 1 })]);
    expect(new Set(racing.map((r) => r.runId)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);

    expect(await requestedEvents(t.db, acme.organization.id, first.runId)).toMatchObject([
      { type: "workflow.run_requested", data: { runId: first.runId, workflow: "pr-review" } },
    ]);
    expect(await requestedEvents(t.db, acme.organization.id, racing[0]!.runId)).toHaveLength(1);
    const run = await getWorkflowRun(t.db, acme.ctx, first.runId);
    expect(run).toMatchObject({ workflow: "pr-review", triggerKey: key, status: "queued", input: { pr: 42 } });
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ["fetch", "queued"],
      ["comment", "queued"],
    ]);

    // The same key under another workflow, or in another organization, is another run.
    expect((await start(acme, key, {}, other)).created).toBe(true);
    expect((await start(globex, key, { pr: 42 })).created).toBe(true);
  });

  it("refuses input the workflow does not accept, or too much of it, and an empty trigger key", async () => {
    await expect(start(acme, randomUUID(), { pr: "42" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(
      start(acme, randomUUID(), { pr: 1, notes: "x".repeat(WORKFLOW_JSON_BYTES_MAX) }),
    ).resolves.toMatchObject({ created: true });
    await expect(start(acme, randomUUID(), { blob: "x".repeat(WORKFLOW_JSON_BYTES_MAX) }, other)).rejects.toMatchObject(
      { code: "validation_failed" },
    );
    await expect(start(acme, "", { pr: 1 })).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("workflow runs for admins", () => {
  it("lists runs newest first, a page at a time, filtered by status and workflow, with step counts", async () => {
    const org = await buildOrganization(t.db, "Paging");
    isBroken = true;
    const failed = await startAndRun(org);
    const succeeded = await startAndRun(org, other);
    const { runId: queued } = await start(org, randomUUID(), { pr: 9 });

    const first = await listWorkflowRuns(t.db, org.ctx, { limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual([queued, succeeded]);
    const second = await listWorkflowRuns(t.db, org.ctx, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([failed]);
    expect(second.nextCursor).toBeNull();

    expect(second.items[0]).toMatchObject({
      status: "failed",
      stepCount: 2,
      succeededStepCount: 1,
      error: "Step comment failed after 1 attempt: GitHub is down",
    });
    expect((await listWorkflowRuns(t.db, org.ctx, { limit: 25, status: "failed" })).items.map((r) => r.id)).toEqual([
      failed,
    ]);
    expect((await listWorkflowRuns(t.db, org.ctx, { limit: 25, workflow: "other" })).items.map((r) => r.id)).toEqual([
      succeeded,
    ]);
  });

  it("retries only a failed run, records who did in the audit log, and refuses a second retry", async () => {
    isBroken = true;
    const runId = await startAndRun(acme);
    const { runId: queued } = await start(acme, randomUUID(), { pr: 1 });
    await expect(retryWorkflowRun(t.db, acme.ctx, queued)).rejects.toMatchObject({ code: "conflict" });

    const retried = await retryWorkflowRun(t.db, acme.ctx, runId);
    expect(retried.status).toBe("queued");
    await expect(retryWorkflowRun(t.db, acme.ctx, runId)).rejects.toMatchObject({ code: "conflict" });
    const audit = await t.db.withTenant(acme.ctx, (tx) =>
      tx.auditLog.findMany({ where: { action: "workflow_run.retried", targetId: runId } }),
    );
    expect(audit).toMatchObject([
      {
        actorUserId: acme.owner.id,
        actorType: "user",
        targetType: "workflow_run",
        metadata: {
          workflow: "pr-review",
          fromStep: "comment",
          previousStatus: "failed",
          previousError: "Step comment failed after 1 attempt: GitHub is down",
        },
      },
    ]);
  });

  it("is for admins and owners only", async () => {
    isBroken = true;
    const runId = await startAndRun(acme);
    await expect(listWorkflowRuns(t.db, acmeMember, { limit: 25 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getWorkflowRun(t.db, acmeMember, runId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(retryWorkflowRun(t.db, acmeMember, runId)).rejects.toMatchObject({ code: "forbidden" });
    const admin = await acme.addMember("admin");
    expect((await getWorkflowRun(t.db, admin, runId)).status).toBe("failed");
  });

  it("does not return rows from another tenant", async () => {
    isBroken = true;
    const runId = await startAndRun(acme);
    const globexRuns = await listWorkflowRuns(t.db, globex.ctx, { limit: 100 });
    expect(globexRuns.items.map((r) => r.id)).not.toContain(runId);
    await expect(getWorkflowRun(t.db, globex.ctx, runId)).rejects.toMatchObject({ code: "not_found" });
    await expect(retryWorkflowRun(t.db, globex.ctx, runId)).rejects.toMatchObject({ code: "not_found" });
    expect((await getWorkflowRun(t.db, acme.ctx, runId)).status).toBe("failed");
    expect(await requestedEvents(t.db, acme.organization.id, runId)).toHaveLength(1);
    await expect(getWorkflowRun(t.db, acme.ctx, "not-a-uuid")).rejects.toMatchObject({ code: "not_found" });
  });
});
