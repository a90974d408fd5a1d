import { apply } from "@devflow/collab-ot";
import { AppError } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import { editsToOp } from "./text-edits";

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("editsToOp", () => {
  it("turns replacements, inserts and deletes into one op on the base text, in any order", () => {
    const base = "# Plan\n\nShip it on Monday.\n";
    const { op, after, caret } = editsToOp(base, [
      { start: 19, end: 25, text: "Friday" },
      { start: 2, end: 6, text: "Rollout plan" },
      { start: 8, end: 8, text: "Owner: Ada.\n" },
    ]);
    expect(after).toBe("# Rollout plan\n\nOwner: Ada.\nShip it on Friday.\n");
    expect(apply(base, op)).toBe(after);
    expect(after.slice(0, caret)).toBe("# Rollout plan\n\nOwner: Ada.\nShip it on Friday");
  });

  it("keeps two inserts at the same offset in the order given", () => {
    expect(
      editsToOp("ab", [
        { start: 1, end: 1, text: "X" },
        { start: 1, end: 1, text: "Y" },
      ]).after,
    ).toBe("aXYb");
  });

  it("names the edit whose range runs past the end or overlaps another", () => {
    const past = failure(() => editsToOp("abc", [{ start: 1, end: 9, text: "" }]));
    expect(past.code).toBe("validation_failed");
    expect(past.details).toEqual({
      issues: [{ path: "edits.0.end", message: expect.stringContaining("past the end") }],
    });

    const overlap = failure(() =>
      editsToOp("abcdef", [
        { start: 0, end: 3, text: "x" },
        { start: 2, end: 4, text: "y" },
      ]),
    );
    expect(overlap.details).toEqual({
      issues: [{ path: "edits.1.start", message: expect.stringContaining("overlaps") }],
    });
  });

  it("refuses an end before its start and an offset inside a surrogate pair", () => {
    expect(failure(() => editsToOp("abc", [{ start: 2, end: 1, text: "" }])).details).toMatchObject({
      issues: [{ path: "edits.0.end" }],
    });
    expect(failure(() => editsToOp("a😀b", [{ start: 2, end: 2, text: "x" }])).details).toMatchObject({
      issues: [{ path: "edits.0.start" }],
    });
  });

  it("makes an empty op for edits that change nothing", () => {
    expect(editsToOp("abc", [{ start: 1, end: 1, text: "" }]).op).toEqual([]);
  });
});
