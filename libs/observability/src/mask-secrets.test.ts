import { describe, expect, it } from "vitest";
import { maskSecrets } from "./mask-secrets";

describe("maskSecrets", () => {
  it("masks email addresses inside free text", () => {
    expect(maskSecrets("invited ada.lovelace+dev@example.co.uk to acme")).toBe("invited [email] to acme");
  });

  it("masks bearer tokens but keeps prose that merely mentions one", () => {
    expect(maskSecrets("header was Bearer sk_live_4f9a8b7c6d5e")).toBe("header was Bearer [redacted]");
    expect(maskSecrets("Bearer token missing")).toBe("Bearer token missing");
  });

  it("masks JWTs, passwords in connection URLs and secret query parameters", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl";
    expect(maskSecrets(`token ${jwt} expired`)).toBe("token [jwt] expired");
    expect(maskSecrets("postgresql://devflow:hunter2@db.internal:5432/app")).toBe(
      "postgresql://[redacted]@db.internal:5432/app",
    );
    expect(maskSecrets("/oauth/callback?code=abc123&state=xyz&access_token=t0k")).toBe(
      "/oauth/callback?code=[redacted]&state=xyz&access_token=[redacted]",
    );
  });

  it("stays fast on a long run of token-like characters", () => {
    const blob = `${"a".repeat(500_000)}@`;
    const started = performance.now();
    maskSecrets(blob);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("DevFlow tokens", () => {
  it("masks API and SCIM tokens pasted on their own", () => {
    const api = `dfp_${"a1".repeat(16)}_${"Z".repeat(43)}`;
    const scim = `dfscim_${"0f".repeat(16)}_${"x".repeat(43)}`;
    const line = maskSecrets(`tokens ${api} and ${scim} leaked`);
    expect(line).toBe("tokens dfp_[redacted] and dfscim_[redacted] leaked");
  });
});
