import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headVersion, rebase, RebaseError } from "./rebase";
import { arbitraryOpFor, drawOpChain } from "./testing";
import { apply, transform, type TextOp } from "./text-op";

describe("rebase", () => {
  it("equals transforming over each committed op in turn, and converges with the client", () => {
    let rebasedOps = 0;
    fc.assert(
      fc.property(fc.gen(), fc.nat({ max: 50 }), (g, startVersion) => {
        const { texts, ops: history } = drawOpChain(g, 8);
        const k = g(fc.nat, { max: history.length });
        const op = g(arbitraryOpFor, texts[k]!);
        const baseVersion = startVersion + k;

        const rebased = rebase(op, baseVersion, { startVersion, ops: history });
        let expected = op;
        for (const committed of history.slice(k)) expected = transform(expected, committed, "right");
        expect(rebased).toEqual(expected);

        // The author's editor: its own op first, then the committed ops rewritten over it.
        let clientText = apply(texts[k]!, op);
        let mine = op;
        for (const committed of history.slice(k)) {
          clientText = apply(clientText, transform(committed, mine, "left"));
          mine = transform(mine, committed, "right");
        }
        expect(apply(texts[history.length]!, rebased)).toBe(clientText);
        rebasedOps += history.length - k;
      }),
      { numRuns: 600 },
    );
    expect(rebasedOps).toBeGreaterThan(800);
  });

  it("returns the op unchanged when it is based on the head", () => {
    const op: TextOp = [1, "x"];
    expect(rebase(op, 7, { startVersion: 5, ops: [["a"], ["b"]] })).toBe(op);
  });

  it("rejects an op based on a version the server has not reached", () => {
    const history = { startVersion: 5, ops: [["a"], ["b"]] };
    expect(headVersion(history)).toBe(7);
    expect(() => rebase(["x"], 8, history)).toThrow(RebaseError);
    try {
      rebase(["x"], 8, history);
    } catch (error) {
      expect(error).toMatchObject({ reason: "future_version", code: "validation_failed", headVersion: 7 });
    }
  });

  it("rejects an op based on a version older than the retained history", () => {
    try {
      rebase(["x"], 4, { startVersion: 5, ops: [["a"]] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RebaseError);
      expect(error).toMatchObject({ reason: "expired_version", code: "conflict", oldestVersion: 5 });
    }
  });

  it.each([-1, 1.5, Number.NaN])("rejects %s as a base version", (version) => {
    expect(() => rebase(["x"], version, { startVersion: 0, ops: [] })).toThrow(
      expect.objectContaining({ reason: "invalid_version" }),
    );
  });
});
