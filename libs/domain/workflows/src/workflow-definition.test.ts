import { describe, expect, it } from "vitest";
import { DEFAULT_STEP_RETRY, DEFAULT_STEP_TIMEOUT_MS, defineWorkflow, resolveSteps } from "./workflow-definition";

const noop = async () => null;

describe("defineWorkflow", () => {
  it("keeps the steps in the order they were declared, with positions and defaults", () => {
    const workflow = defineWorkflow({
      name: "pr-analysis",
      steps: [
        { name: "fetch-pr", run: noop },
        { name: "analyse", run: noop, retry: { attempts: 5 }, timeoutMs: 1_000 },
        { name: "post-comment", run: noop },
      ],
    });
    const steps = resolveSteps(workflow);
    expect(steps.map((step) => [step.position, step.name])).toEqual([
      [0, "fetch-pr"],
      [1, "analyse"],
      [2, "post-comment"],
    ]);
    expect(steps[0]).toMatchObject({ retry: DEFAULT_STEP_RETRY, timeoutMs: DEFAULT_STEP_TIMEOUT_MS });
    expect(steps[1]).toMatchObject({ retry: { ...DEFAULT_STEP_RETRY, attempts: 5 }, timeoutMs: 1_000 });
  });

  it("refuses two steps of one name: runs find their steps by name", () => {
    expect(() =>
      defineWorkflow({
        name: "twice",
        steps: [
          { name: "a", run: noop },
          { name: "a", run: noop },
        ],
      }),
    ).toThrow("Workflow twice has two steps named a");
  });

  it("refuses a workflow without steps, odd names and senseless retry policies", () => {
    expect(() => defineWorkflow({ name: "empty", steps: [] })).toThrow(/has no steps/);
    expect(() => defineWorkflow({ name: "Has Spaces", steps: [{ name: "a", run: noop }] })).toThrow(/workflow name/);
    expect(() => defineWorkflow({ name: "w", steps: [{ name: "A", run: noop }] })).toThrow(/step name/);
    const withRetry = (retry: object) => () => defineWorkflow({ name: "w", steps: [{ name: "a", run: noop, retry }] });
    expect(withRetry({ attempts: 0 })).toThrow(/attempts must be/);
    expect(withRetry({ attempts: 1.5 })).toThrow(/attempts must be/);
    expect(withRetry({ baseDelayMs: 10_000, maxDelayMs: 1_000 })).toThrow(/baseDelayMs/);
    expect(() => defineWorkflow({ name: "w", steps: [{ name: "a", run: noop, timeoutMs: 0 }] })).toThrow(/timeoutMs/);
  });
});
