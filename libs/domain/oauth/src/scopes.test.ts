import { describe, expect, it } from "vitest";
import { currentScopes, grantedScopes, parseScopeParam } from "./scopes";

describe("OAuth scopes", () => {
  it("reads a space-separated scope parameter, defaulting to every offered scope", () => {
    expect(parseScopeParam(undefined)).toEqual({ ok: true, scopes: ["read", "write"] });
    expect(parseScopeParam("")).toEqual({ ok: true, scopes: ["read", "write"] });
    expect(parseScopeParam("write read")).toEqual({ ok: true, scopes: ["read", "write"] });
    expect(parseScopeParam("read")).toEqual({ ok: true, scopes: ["read"] });
    expect(parseScopeParam("read admin openid")).toEqual({ ok: false, unknown: ["admin", "openid"] });
  });

  it("grants read always, and write only when asked for, ticked and allowed by the role", () => {
    expect(grantedScopes("viewer", ["read", "write"], ["read", "write"])).toEqual(["read"]);
    expect(grantedScopes("member", ["read", "write"], ["read", "write"])).toEqual(["read", "write"]);
    expect(grantedScopes("member", ["read", "write"], [])).toEqual(["read"]);
    expect(grantedScopes("owner", ["read"], ["read", "write"])).toEqual(["read"]);
  });

  it("narrows stored scopes to the role a person has now", () => {
    expect(currentScopes(["read", "write"], "viewer")).toEqual(["read"]);
    expect(currentScopes(["read", "write", "retired"], "admin")).toEqual(["read", "write"]);
  });
});
