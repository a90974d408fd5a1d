import { describe, expect, it } from "vitest";
import { accessOf, EXPIRY_OPTIONS, expiryDaysOf, isExpired, scopesUpTo, shortPrefix } from "./token-format";

describe("token formatting", () => {
  it("grants the chosen scope and those below it", () => {
    expect(scopesUpTo("read")).toEqual(["read"]);
    expect(scopesUpTo("write")).toEqual(["read", "write"]);
    expect(scopesUpTo("admin")).toEqual(["read", "write", "admin"]);
  });

  it("names a token by its highest scope", () => {
    expect(accessOf(["read"])).toBe("read");
    expect(accessOf(["read", "write"])).toBe("write");
    expect(accessOf(["admin"])).toBe("admin");
  });

  it("reads the expiry choice as days or none", () => {
    expect(expiryDaysOf("30")).toBe(30);
    expect(expiryDaysOf("never")).toBeNull();
  });

  it("shortens the prefix to the characters that differ between tokens", () => {
    expect(shortPrefix("dfp_5b0c6a0e12344abc8def0123456789ab_Ab3dEf9h")).toBe("dfp_…Ab3dEf9h");
  });

  it("says a token has expired from its expiry time on", () => {
    const now = Date.parse("2026-11-23T10:00:00.000Z");
    expect(isExpired({ expiresAt: null }, now)).toBe(false);
    expect(isExpired({ expiresAt: "2026-11-23T10:00:00.001Z" }, now)).toBe(false);
    expect(isExpired({ expiresAt: "2026-11-23T10:00:00.000Z" }, now)).toBe(true);
  });
});

describe("expiry options", () => {
  it("offers the contract's choices, ending with no expiry", () => {
    expect(EXPIRY_OPTIONS.map((o) => o.label)).toEqual(["7 days", "30 days", "90 days", "1 year", "No expiry"]);
    expect(EXPIRY_OPTIONS.map((o) => expiryDaysOf(o.value))).toEqual([7, 30, 90, 365, null]);
  });
});
