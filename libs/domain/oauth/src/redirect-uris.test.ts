import { describe, expect, it } from "vitest";
import { checkRedirectUri, matchesRegisteredRedirectUri, redirectHostOf } from "./redirect-uris";

describe("registering redirect URIs", () => {
  it.each([
    "https://claude.ai/api/mcp/auth_callback",
    "https://app.example.com/cb?tenant=1",
    "http://localhost:33418/callback",
    "http://127.0.0.1:5173/oauth/callback",
    "http://[::1]:8080/cb",
    "http://127.0.0.1/cb",
  ])("accepts %s", (uri) => {
    expect(checkRedirectUri(uri)).toEqual({ ok: true, uri });
  });

  it.each([
    ["http://example.com/cb", /localhost, 127.0.0.1/],
    ["http://127.0.0.2/cb", /localhost, 127.0.0.1/],
    ["http://localhost.evil.com/cb", /localhost, 127.0.0.1/],
    ["https://example.com/cb#frag", /fragment/],
    ["https://user:pw@example.com/cb", /user info/],
    ["javascript:alert(1)", /javascript:/],
    ["data:text/html,hi", /data:/],
    ["file:///etc/passwd", /file:/],
    ["cursor://anysphere.cursor-retrieval/oauth/callback", /cursor:/],
    ["/relative/path", /absolute/],
    ["", /absolute/],
  ])("refuses %s", (uri, reason) => {
    const verdict = checkRedirectUri(uri);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });
});

describe("matching a request's redirect_uri to the registered ones", () => {
  const registered = ["https://app.example.com/cb", "http://127.0.0.1:3000/callback", "http://localhost/cb"];

  it("matches registered https URIs exactly and nothing near them", () => {
    expect(matchesRegisteredRedirectUri("https://app.example.com/cb", registered)).toBe(true);
    expect(matchesRegisteredRedirectUri("https://app.example.com/cb/", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("https://app.example.com/cb?x=1", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("https://APP.example.com/cb", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("https://app.example.com:8443/cb", registered)).toBe(false);
  });

  it("lets a loopback URI use any port (RFC 8252 §7.3) but not another host, path or scheme", () => {
    expect(matchesRegisteredRedirectUri("http://127.0.0.1:51234/callback", registered)).toBe(true);
    expect(matchesRegisteredRedirectUri("http://localhost:9999/cb", registered)).toBe(true);
    expect(matchesRegisteredRedirectUri("http://localhost:3000/callback", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("http://127.0.0.1:51234/other", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("https://127.0.0.1:51234/callback", registered)).toBe(false);
    expect(matchesRegisteredRedirectUri("http://127.0.0.1:51234/callback#x", registered)).toBe(false);
  });

  it("names the host a code goes to", () => {
    expect(redirectHostOf("https://claude.ai/api/mcp/auth_callback")).toBe("claude.ai");
    expect(redirectHostOf("http://127.0.0.1:5000/cb")).toBe("127.0.0.1");
  });
});
