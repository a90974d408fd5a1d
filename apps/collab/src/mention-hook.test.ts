import type { RequestContext } from "@devflow/auth";
import { mentionToken } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { describe, expect, it, vi } from "vitest";
import { createMentionRecorder, mentionsInsertedBy } from "./mention-hook";

const ADA = "4f9a8b7c-0000-4000-8000-000000000001";
const BOB = "4f9a8b7c-0000-4000-8000-000000000002";
const DOC = "4f9a8b7c-0000-4000-8000-0000000000d0";
const ctx: RequestContext = { organizationId: DOC, actor: { userId: ADA, role: "member" }, requestId: "r" };

describe("mentionsInsertedBy", () => {
  it("reads the tokens in the op's inserted strings only", () => {
    expect(mentionsInsertedBy([4, `hi ${mentionToken("Bob", BOB)} `, { d: 3 }, mentionToken("Ada", ADA)])).toEqual([
      BOB,
      ADA,
    ]);
  });

  it("finds nothing in skips and deletes, or in a token split across two inserts", () => {
    expect(mentionsInsertedBy([120, { d: 40 }])).toEqual([]);
    const token = mentionToken("Bob", BOB);
    expect(mentionsInsertedBy([token.slice(0, 10), 5, token.slice(10)])).toEqual([]);
  });
});

function recorder(record: (...args: unknown[]) => Promise<string[]>) {
  const logger = { debug: vi.fn(), error: vi.fn() };
  const mentions = createMentionRecorder({
    db: {} as Database,
    logger: logger as unknown as Logger,
    record: record as never,
  });
  return { mentions, logger };
}

describe("createMentionRecorder", () => {
  it("records a person's inserted mentions after returning, and only when there are some", async () => {
    const record = vi.fn(async () => [BOB]);
    const { mentions } = recorder(record);
    mentions.afterOpAcked({ ctx, documentId: DOC, op: [0, "no mention here"] });
    mentions.afterOpAcked({ ctx, documentId: DOC, op: [0, mentionToken("Bob", BOB)] });
    expect(record).not.toHaveBeenCalled();
    await mentions.idle();
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(expect.anything(), ctx, DOC, [BOB]);
  });

  it("leaves an agent's edits alone", async () => {
    const record = vi.fn(async () => []);
    const { mentions } = recorder(record);
    mentions.afterOpAcked({ ctx, documentId: DOC, op: [mentionToken("Bob", BOB)], agent: "Claude via MCP" });
    await mentions.idle();
    expect(record).not.toHaveBeenCalled();
  });

  it("logs a failure instead of throwing it", async () => {
    const { mentions, logger } = recorder(async () => {
      throw new Error("database is down");
    });
    expect(() => mentions.afterOpAcked({ ctx, documentId: DOC, op: [mentionToken("Bob", BOB)] })).not.toThrow();
    await mentions.idle();
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ documentId: DOC, userId: ADA }),
      "could not record mentions in a document",
    );
  });
});
