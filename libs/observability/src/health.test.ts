import { describe, expect, it } from "vitest";
import { runHealthChecks } from "./health";

describe("runHealthChecks", () => {
  it("reports ok with each check's latency when every dependency answers", async () => {
    const report = await runHealthChecks("ai", [{ name: "database", check: async () => {} }], 1_000);
    expect(report).toEqual({
      status: "ok",
      service: "ai",
      checks: [{ name: "database", ok: true, latencyMs: expect.any(Number) }],
    });
  });

  it("reports unavailable and names the failing check with its first line only", async () => {
    const failure = new Error(
      "password authentication failed for postgresql://app:hunter2@db/x\n    at Client.connect",
    );
    const report = await runHealthChecks(
      "worker",
      [
        { name: "database", check: () => Promise.reject(failure) },
        { name: "blob store", check: async () => {} },
      ],
      1_000,
    );
    expect(report.status).toBe("unavailable");
    expect(report.checks).toEqual([
      {
        name: "database",
        ok: false,
        latencyMs: expect.any(Number),
        error: "password authentication failed for postgresql://[redacted]@db/x",
      },
      { name: "blob store", ok: true, latencyMs: expect.any(Number) },
    ]);
    expect(JSON.stringify(report)).not.toContain("at Client.connect");
  });

  it("fails a check that does not answer within the timeout", async () => {
    const report = await runHealthChecks("collab", [{ name: "redis", check: () => new Promise<void>(() => {}) }], 50);
    expect(report).toMatchObject({
      status: "unavailable",
      checks: [{ name: "redis", ok: false, error: "timed out after 50 ms" }],
    });
    expect(report.checks[0]?.latencyMs).toBeGreaterThanOrEqual(45);
  });

  it("counts a check that throws synchronously as failed", async () => {
    const check = (): Promise<void> => {
      throw new TypeError("client not configured");
    };
    const report = await runHealthChecks("ai", [{ name: "model", check }], 1_000);
    expect(report.checks[0]).toMatchObject({ ok: false, error: "client not configured" });
  });

  it("is ok with nothing to check", async () => {
    expect(await runHealthChecks("web", [], 1_000)).toEqual({ status: "ok", service: "web", checks: [] });
  });
});
