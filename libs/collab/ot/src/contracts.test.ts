import {
  COLLAB_OP_SIZE_MAX,
  DOCUMENT_CONTENT_MAX,
  DocOpSchema,
  ERROR_CODES,
  TextOpSchema,
  type ErrorCode,
} from "@devflow/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOpError, INVALID_OP_REASONS, MAX_OP_SIZE_DEFAULT, parseOp } from "./parse-op";
import { RebaseError, type RebaseErrorReason } from "./rebase";
import { arbitraryOpFor, arbitraryText } from "./testing";
import { MAX_DOCUMENT_LENGTH } from "./text-op";

const SAMPLES: unknown[] = [
  [],
  [3, "ab", { d: 2 }],
  [1, 2, "a", "b", { d: 1 }, { d: 1 }, 4],
  ["😀👍🏽"],
  "abc",
  null,
  { ops: [] },
  [-1, "a"],
  [0, "a"],
  [1.5, "a"],
  [Number.MAX_SAFE_INTEGER + 2, "a"],
  [{ d: -2 }],
  [{ d: 0 }],
  [{ d: "2" }],
  [""],
  ["\uD83D"],
  ["a\uDE00"],
  [{ d: 1, i: "x" }],
  [{ i: "x" }],
  [[1]],
  [null],
  [true],
  ["x".repeat(MAX_OP_SIZE_DEFAULT - 1)],
  ["x".repeat(MAX_OP_SIZE_DEFAULT)],
  new Array(MAX_OP_SIZE_DEFAULT + 1).fill(1),
];

describe("the wire contract and parseOp", () => {
  it("share their limits", () => {
    expect(COLLAB_OP_SIZE_MAX).toBe(MAX_OP_SIZE_DEFAULT);
    expect(DOCUMENT_CONTENT_MAX).toBe(MAX_DOCUMENT_LENGTH);
  });

  it.each(SAMPLES.map((sample, i) => [i, sample]))("agree on sample %i", (_, sample) => {
    expect(TextOpSchema.safeParse(sample).success).toBe(parseOp(sample).ok);
  });

  it("agree on every op an editor can produce", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const op = g(arbitraryOpFor, g(arbitraryText));
        expect(TextOpSchema.safeParse(op).success).toBe(true);
        expect(
          DocOpSchema.safeParse({
            v: 1,
            documentId: "0195f0a4-8f3a-7c1e-9d2b-1a2b3c4d5e6f",
            clientOpId: "tab-1:1",
            baseVersion: 0,
            op,
          }).success,
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("map every refusal to an ErrorCode", () => {
    const codes = new Set<string>(ERROR_CODES);
    for (const reason of INVALID_OP_REASONS) expect(codes).toContain(new InvalidOpError(reason, "").code);
    const rebaseReasons: RebaseErrorReason[] = ["invalid_version", "future_version", "expired_version"];
    for (const reason of rebaseReasons)
      expect(codes).toContain(new RebaseError(reason, 0, 0, 0).code satisfies ErrorCode);
  });
});
