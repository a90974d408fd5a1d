import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, readCursor } from "./cursor";

const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");

describe("cursor", () => {
  it("round-trips the sort key", () => {
    const parts = ["2026-11-23T10:00:00.000Z", "5b0c6a0e-0000-4000-8000-000000000000"];
    expect(decodeCursor(encodeCursor(parts))).toEqual(parts);
    expect(readCursor(encodeCursor(parts), ["timestamp", "uuid"])).toEqual(parts);
  });

  it("rejects cursors a client made up", () => {
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString("base64url"))).toBeNull();
  });

  it.each([
    ["a bad timestamp", ["not-a-date", "5b0c6a0e-0000-4000-8000-000000000000"]],
    ["an impossible date", ["2026-13-45T10:00:00.000Z", "5b0c6a0e-0000-4000-8000-000000000000"]],
    ["a bad uuid", ["2026-11-23T10:00:00.000Z", "not-a-uuid"]],
    ["too few parts", ["2026-11-23T10:00:00.000Z"]],
    ["a number where text belongs", [12, "5b0c6a0e-0000-4000-8000-000000000000"]],
  ])("throws validation_failed for %s", (_label, parts) => {
    expect(() => readCursor(forged(parts), ["timestamp", "uuid"])).toThrow(
      expect.objectContaining({ code: "validation_failed" }),
    );
  });

  it("accepts any short text where text is expected", () => {
    const cursor = forged(["Platform team", "5b0c6a0e-0000-4000-8000-000000000000"]);
    expect(readCursor(cursor, ["text", "uuid"])).toEqual(["Platform team", "5b0c6a0e-0000-4000-8000-000000000000"]);
  });
});
