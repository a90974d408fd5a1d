import { describe, expect, it } from "vitest";
import { attemptsLabel, canRetry, durationLabel, isActive, prettyJson, retryMessage } from "./workflow-format";

describe("workflow run formatting", () => {
  it("shows a finished duration, the time so far while running, and a dash before the start", () => {
    expect(
      durationLabel({ startedAt: "2026-11-30T10:00:00Z", finishedAt: "2026-11-30T10:00:01.2Z", durationMs: 1_200 }),
    ).toBe("1.2 s");
    const now = new Date("2026-11-30T10:00:04Z").getTime();
    expect(durationLabel({ startedAt: "2026-11-30T10:00:00Z", finishedAt: null, durationMs: null }, now)).toBe(
      "4.0 s so far",
    );
    expect(durationLabel({ startedAt: null, finishedAt: null, durationMs: null })).toBe("—");
  });

  it("polls only runs that can still change, and offers retry only where the API allows it", () => {
    expect(["queued", "running", "succeeded", "failed", "cancelled"].filter((s) => isActive(s as never))).toEqual([
      "queued",
      "running",
    ]);
    expect(["queued", "running", "succeeded", "failed", "cancelled"].filter((s) => canRetry(s as never))).toEqual([
      "failed",
      "cancelled",
    ]);
  });

  it("counts attempts and pretty-prints values", () => {
    expect([attemptsLabel(1), attemptsLabel(3)]).toEqual(["1 attempt", "3 attempts"]);
    expect(prettyJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson(undefined)).toBe("null");
  });

  it("says where a retry starts again and which steps keep their output", () => {
    const steps = (...statuses: string[]) => ({
      steps: statuses.map((status, i) => ({ name: `step-${i + 1}`, status })) as never,
    });
    expect(retryMessage(steps("succeeded", "succeeded", "failed", "queued"))).toBe(
      "It runs again from step step-3. The 2 steps before it keep their output and do not run again.",
    );
    expect(retryMessage(steps("succeeded", "failed"))).toBe(
      "It runs again from step step-2. The step before it keeps its output and does not run again.",
    );
    expect(retryMessage(steps("failed", "queued"))).toBe("It runs again from the first step, step-1.");
    expect(retryMessage(steps("succeeded"))).toBe("Every step has succeeded; the run will only be marked finished.");
  });
});
