import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InvalidEventError, parseEvent } from "./events";

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: "document.created",
  version: 1,
  organizationId: randomUUID(),
  occurredAt: "2026-11-30T05:00:00.000Z",
  data: { documentId: randomUUID(), projectId: randomUUID(), title: "Retry policy", createdById: null },
  ...overrides,
});

describe("parseEvent", () => {
  it("accepts a catalog event and returns its typed payload", () => {
    const raw = envelope();
    expect(parseEvent(raw)).toEqual(raw);
  });

  it("drops fields the catalog does not know from the payload", () => {
    const raw = envelope();
    const parsed = parseEvent({ ...raw, data: { ...raw.data, content: "the whole document" } });
    expect(parsed.data).not.toHaveProperty("content");
  });

  it.each([
    ["an unknown type", { type: "document.exploded" }, /type/],
    ["a version the catalog lacks", { version: 2 }, /version 2 is not in the catalog/],
    ["a payload of the wrong shape", { data: { documentId: "nope" } }, /Invalid document.created v1 payload/],
    ["no organization", { organizationId: undefined }, /organizationId/],
  ])("rejects %s", (_, overrides, message) => {
    expect(() => parseEvent(envelope(overrides))).toThrow(InvalidEventError);
    expect(() => parseEvent(envelope(overrides))).toThrow(message);
  });
});
