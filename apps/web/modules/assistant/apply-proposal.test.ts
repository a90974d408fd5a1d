import { describe, expect, it } from "vitest";
import { planProposal } from "./apply-proposal";

const base = "# Cache\n\nEntries expire after one hour.\n";
const at = base.indexOf("one hour");
const edit = { start: at, end: at + 8, text: "two hours", before: "one hour", prefix: "expire after " };

describe("planProposal", () => {
  it("applies at the same place when the text did not change", () => {
    expect(planProposal(base, { edits: [edit] })).toEqual({
      ok: true,
      changes: [{ from: at, to: at + 8, insert: "two hours" }],
    });
  });

  it("finds the passage again after edits elsewhere moved it", () => {
    const current = `Intro line.\n${base}`;
    const plan = planProposal(current, { edits: [edit] });
    expect(plan).toEqual({ ok: true, changes: [{ from: at + 12, to: at + 20, insert: "two hours" }] });
  });

  it("finds an insertion point by the text before it", () => {
    const insert = { start: base.length, end: base.length, text: "More.\n", before: "", prefix: "one hour.\n" };
    const plan = planProposal(`Hi\n${base}`, { edits: [insert] });
    expect(plan).toEqual({ ok: true, changes: [{ from: base.length + 3, to: base.length + 3, insert: "More.\n" }] });
  });

  it("refuses when the replaced text was edited, or edits would overlap, or the proposal cannot be checked", () => {
    expect(planProposal(base.replace("one hour", "1 hour"), { edits: [edit] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("“one hour” is no longer there"),
    });
    const other = { ...edit, start: at + 4, end: at + 8, before: "hour", prefix: "one " };
    expect(planProposal(base, { edits: [edit, other] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("overlap"),
    });
    expect(planProposal(base, { edits: [{ start: 0, end: 1, text: "x" }] })).toMatchObject({ ok: false });
  });
});
