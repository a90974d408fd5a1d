import { describe, expect, it } from "vitest";
import { API_TOKEN_DISPLAY_LENGTH, generateApiToken, hashApiToken, parseApiToken } from "./api-token";

const ORG = "5b0c6a0e-1234-4abc-8def-0123456789ab";

describe("generateApiToken", () => {
  it("embeds the organization and 32 random bytes", () => {
    const { token } = generateApiToken(ORG);
    expect(token).toMatch(/^dfp_5b0c6a0e12344abc8def0123456789ab_[A-Za-z0-9_-]{43}$/);
  });

  it("makes a different token every time", () => {
    expect(generateApiToken(ORG).token).not.toBe(generateApiToken(ORG).token);
  });

  it("returns the SHA-256 of the token and a prefix that does not give the secret away", () => {
    const { token, hash, prefix } = generateApiToken(ORG);
    expect(hash).toBe(hashApiToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(token.slice(0, API_TOKEN_DISPLAY_LENGTH));
    expect(token.length - prefix.length).toBeGreaterThanOrEqual(35);
  });

  it("refuses an organization id that is not a UUID", () => {
    expect(() => generateApiToken("acme")).toThrow();
  });
});

describe("parseApiToken", () => {
  it("reads back the organization and the hash", () => {
    const { token, hash } = generateApiToken(ORG);
    expect(parseApiToken(token)).toEqual({ organizationId: ORG, hash });
  });

  it("hashes the whole token, so the same secret under another organization is another token", () => {
    const { token } = generateApiToken(ORG);
    const moved = token.replace("5b0c6a0e12344abc8def0123456789ab", "00000000000040008000000000000000");
    expect(parseApiToken(moved)?.hash).not.toBe(parseApiToken(token)?.hash);
  });

  it.each([
    ["an empty string", ""],
    ["a session cookie", "eyJhbGciOiJIUzI1NiJ9.e30.abc"],
    ["another product's prefix", `ghp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(43)}`],
    ["a short secret", `dfp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(42)}`],
    ["a long secret", `dfp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(44)}`],
    ["an organization with dashes", `dfp_${ORG}_${"a".repeat(43)}`],
    ["upper-case hex", `dfp_5B0C6A0E12344ABC8DEF0123456789AB_${"a".repeat(43)}`],
    ["characters outside base64url", `dfp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(42)}=`],
    ["surrounding whitespace", ` dfp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(43)}`],
    ["a trailing newline", `dfp_5b0c6a0e12344abc8def0123456789ab_${"a".repeat(43)}\n`],
  ])("returns null for %s", (_label, raw) => {
    expect(parseApiToken(raw)).toBeNull();
  });

  it("returns null for values that are not strings", () => {
    expect(parseApiToken(undefined as unknown as string)).toBeNull();
    expect(parseApiToken(42 as unknown as string)).toBeNull();
  });
});
