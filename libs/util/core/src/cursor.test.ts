import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("cursor", () => {
  it("round-trips the sort key", () => {
    const parts = ["2026-11-23T10:00:00.000Z", "5b0c6a0e-0000-4000-8000-000000000000"];
    expect(decodeCursor(encodeCursor(parts))).toEqual(parts);
  });
  it("rejects cursors a client made up", () => {
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString("base64url"))).toBeNull();
  });
});
