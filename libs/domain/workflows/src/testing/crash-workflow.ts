import type { Database } from "@devflow/db";
import { defineWorkflow, type WorkflowStep } from "../workflow-definition";

/*
 * The workflow of the crash test (workflow-runner-crash.int.test.ts), shared by the test, which
 * starts runs of it, and its worker processes (crash-workflow-worker.ts), which execute them.
 */

/** The audit action each step's effect is recorded under: one row per execution of a step's effect. */
export const CRASH_EFFECT_ACTION = "workflow.crash_test_effect";

export type CrashWorkflowMode = "hang" | "normal";

export interface CrashStepReport {
  type: "step";
  step: string;
  attempt: number;
  pid: number;
}

export interface CrashWorkflowOptions {
  db: Database;
  /** "hang": step two reports that it started and then never ends, for the test to kill the worker. */
  mode: CrashWorkflowMode;
  /** Told as each step's attempt starts (over IPC in the worker). */
  report: (message: CrashStepReport) => void;
}

/**
 * Three steps, each recording its effect as a row of the organization's audit log (targeting the
 * run, with the step, the attempt and the worker's pid): a durable effect the test can count.
 */
export function crashWorkflow({ db, mode, report }: CrashWorkflowOptions) {
  const step = (name: string, isHanging = false): WorkflowStep => ({
    name,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 500 },
    run: async (ctx) => {
      report({ type: "step", step: name, attempt: ctx.attempt, pid: process.pid });
      // Ignores its signal on purpose: a worker wedged in a step, which only a kill ends.
      if (isHanging) return new Promise<never>(() => {});
      await db.withTenant(ctx.tenant, (tx) =>
        tx.auditLog.create({
          data: {
            organizationId: ctx.organizationId,
            actorType: "system",
            action: CRASH_EFFECT_ACTION,
            targetType: "workflow_run",
            targetId: ctx.runId,
            metadata: { step: name, attempt: ctx.attempt, pid: process.pid },
          },
        }),
      );
      return { step: name, pid: process.pid };
    },
  });
  return defineWorkflow({
    name: "crash-test",
    steps: [step("one"), step("two", mode === "hang"), step("three")],
  });
}
