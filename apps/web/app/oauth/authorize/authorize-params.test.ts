import { describe, expect, it } from "vitest";
import { authorizePagePath, readAuthorizationParams } from "./authorize-params";

describe("authorization request parameters", () => {
  it("reads the request's own parameters from a query or a form, ignoring others", () => {
    const query = { client_id: "c1", state: "s", code_challenge: "x", consent_error: "ignored", scopes: ["read"] };
    expect(readAuthorizationParams(query)).toEqual({ client_id: "c1", state: "s", code_challenge: "x" });
    expect(
      readAuthorizationParams(new URLSearchParams("client_id=c1&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb")),
    ).toEqual({
      client_id: "c1",
      redirect_uri: "http://127.0.0.1/cb",
    });
  });

  it("refuses a parameter sent twice or longer than any honest client sends", () => {
    expect(readAuthorizationParams({ client_id: ["a", "b"] })).toBeNull();
    expect(readAuthorizationParams(new URLSearchParams("state=a&state=b"))).toBeNull();
    expect(readAuthorizationParams({ state: "s".repeat(1001) })).toBeNull();
  });

  it("rebuilds the consent page's path for the way back from sign-in", () => {
    expect(authorizePagePath({ client_id: "c 1", state: "a&b" }, { devflow_error: "organization" })).toBe(
      "/oauth/authorize?client_id=c+1&state=a%26b&devflow_error=organization",
    );
  });
});
