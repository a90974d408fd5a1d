import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import { createMemoryLog } from "./testing/memory-log";

function loggerWithMemory() {
  const log = createMemoryLog();
  return { log, logger: createLogger({ service: "collab", level: "info", destination: log.destination }) };
}

describe("createLogger", () => {
  it("writes one JSON line per entry with the service, level label and severity", () => {
    const { log, logger } = loggerWithMemory();
    logger.warn({ documentId: "d1" }, "op rejected");
    expect(log.lines()).toEqual([
      expect.objectContaining({
        service: "collab",
        level: "warn",
        severity: "WARNING",
        documentId: "d1",
        msg: "op rejected",
      }),
    ]);
  });

  it("redacts secret fields wherever they sit", () => {
    const { log, logger } = loggerWithMemory();
    logger.info(
      {
        password: "hunter2",
        user: { email: "grace@example.com", name: "Grace" },
        req: { headers: { authorization: "Basic Z3JhY2U6aHVudGVyMg==", cookie: "session=s3cr3t", accept: "*/*" } },
        integration: { github: { token: "ghp_abcdefghijklmnop" } },
      },
      "signed in",
    );
    const text = log.text();
    for (const secret of ["hunter2", "grace@example.com", "Z3JhY2U6aHVudGVyMg", "s3cr3t", "ghp_abcdefghijklmnop"]) {
      expect(text).not.toContain(secret);
    }
    expect(log.lines()[0]).toMatchObject({
      password: "[redacted]",
      user: { email: "[redacted]", name: "Grace" },
      req: { headers: { authorization: "[redacted]", cookie: "[redacted]", accept: "*/*" } },
      integration: { github: { token: "[redacted]" } },
    });
  });

  it("masks emails and bearer tokens inside messages and errors", () => {
    const { log, logger } = loggerWithMemory();
    logger.info("sent invitation to %s", "ada@example.com");
    logger.error(
      { err: new Error("GitHub refused Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a for ada@example.com") },
      "sync failed",
    );
    const text = log.text();
    expect(text).not.toContain("ada@example.com");
    expect(text).not.toContain("gho_16C7e42F292c6912E7710c838347Ae178B4a");
    const [message, failure] = log.lines();
    expect(message?.msg).toBe("sent invitation to [email]");
    expect(failure).toMatchObject({ err: { message: "GitHub refused Bearer [redacted] for [email]" } });
  });

  it("writes nothing at level silent", () => {
    const log = createMemoryLog();
    createLogger({ service: "ai", level: "silent", destination: log.destination }).error("boom");
    expect(log.text()).toBe("");
  });
});
