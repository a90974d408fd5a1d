import { AUDIT_ACTION_NAMES } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./audit-entry";

describe("AUDIT_ACTIONS", () => {
  it("matches the list browsers filter by (contracts' AUDIT_ACTION_NAMES)", () => {
    expect([...AUDIT_ACTION_NAMES]).toEqual([...AUDIT_ACTIONS]);
  });
});
