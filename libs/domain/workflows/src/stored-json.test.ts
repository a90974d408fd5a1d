import { WORKFLOW_ERROR_MAX, WORKFLOW_JSON_BYTES_MAX } from "@devflow/contracts";
import { AppError, notFound } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import { errorMessageOf, isRetryable, toStoredJson } from "./stored-json";

describe("toStoredJson", () => {
  it("stores what JSON makes of a value: dates as strings, undefined as null or left out", () => {
    const at = new Date("2026-11-30T10:00:00.000Z");
    expect(toStoredJson({ at, skipped: undefined, list: [1, undefined] }, "x")).toEqual({
      at: "2026-11-30T10:00:00.000Z",
      list: [1, null],
    });
    expect(toStoredJson(undefined, "x")).toBeNull();
  });

  it("refuses an output over the limit with a message naming it and the sizes, not to be retried", () => {
    const big = { text: "a".repeat(WORKFLOW_JSON_BYTES_MAX) };
    let thrown: unknown;
    try {
      toStoredJson(big, "The output of step analyse");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: "validation_failed", retryable: false });
    expect((thrown as Error).message).toMatch(/^The output of step analyse is 262155 bytes of JSON; at most 262144/);
  });

  it("counts bytes, not characters", () => {
    expect(() => toStoredJson("é".repeat(60), "x", 100)).toThrow(/122 bytes/);
    expect(toStoredJson("e".repeat(60), "x", 100)).toBe("e".repeat(60));
  });

  it("refuses what is not JSON", () => {
    expect(() => toStoredJson({ n: 10n }, "The output of step count")).toThrow(/step count is not JSON/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toStoredJson(cycle, "x")).toThrow(/x is not JSON/);
  });
});

describe("errorMessageOf", () => {
  it("keeps the message and a telling error name, never a stack", () => {
    expect(errorMessageOf(new Error("boom"))).toBe("boom");
    expect(errorMessageOf(new TypeError("x is undefined"))).toBe("TypeError: x is undefined");
    expect(errorMessageOf(notFound("Pull request", "42"))).toBe("Pull request 42 was not found");
    expect(errorMessageOf("plain")).toBe("plain");
  });

  it("shortens long messages", () => {
    const message = errorMessageOf(new Error("x".repeat(10_000)));
    expect(message).toHaveLength(WORKFLOW_ERROR_MAX);
    expect(message.endsWith("…")).toBe(true);
  });
});

describe("isRetryable", () => {
  it("retries plain errors, and AppErrors only when they say so", () => {
    expect(isRetryable(new Error("ECONNRESET"))).toBe(true);
    expect(isRetryable(new AppError("unavailable", "GitHub is down"))).toBe(true);
    expect(isRetryable(notFound("Pull request", "42"))).toBe(false);
    expect(isRetryable(new AppError("internal", "bug", { retryable: true }))).toBe(true);
  });
});
