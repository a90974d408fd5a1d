import { describe, expect, it } from "vitest";
import { actionLabel, EMPTY_FILTERS, hasFilters, nextDay, toFilterArgs } from "./audit-filters";

describe("audit filters", () => {
  it("sends nothing for an empty form", () => {
    expect(toFilterArgs(EMPTY_FILTERS)).toEqual({});
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
  });

  it("makes the last day inclusive by asking for everything before the next one", () => {
    expect(toFilterArgs({ ...EMPTY_FILTERS, fromDay: "2026-11-01", toDay: "2026-11-30" })).toEqual({
      from: "2026-11-01",
      to: "2026-12-01",
    });
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
  });

  it("passes the action and the actor's id", () => {
    const form = { ...EMPTY_FILTERS, action: "api_token.created", actor: { id: "u1", label: "Ada" } };
    expect(toFilterArgs(form)).toEqual({ action: "api_token.created", actorUserId: "u1" });
    expect(hasFilters(form)).toBe(true);
  });

  it("ignores a day that is not complete", () => {
    expect(toFilterArgs({ ...EMPTY_FILTERS, fromDay: "2026-1" })).toEqual({});
  });

  it("labels actions for people", () => {
    expect(actionLabel("api_token.created")).toBe("API token created");
    expect(actionLabel("sso.domain_verified")).toBe("SSO domain verified");
    expect(actionLabel("scim.user_created")).toBe("SCIM user created");
    expect(actionLabel("member.role_changed")).toBe("Member role changed");
  });
});
