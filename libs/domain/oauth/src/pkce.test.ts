import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isS256Challenge, verifyPkceS256 } from "./pkce";

// RFC 7636 Appendix B.
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE S256", () => {
  it("accepts the verifier of RFC 7636 Appendix B for its challenge", () => {
    expect(verifyPkceS256(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
  });

  it("accepts a random 128-character verifier for its own challenge", () => {
    const verifier = randomBytes(96).toString("base64url");
    expect(verifier).toHaveLength(128);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    expect(verifyPkceS256(verifier, challenge)).toBe(true);
  });

  it("rejects another verifier, and the challenge sent back as if it were the verifier (plain)", () => {
    expect(verifyPkceS256(`${RFC_VERIFIER.slice(0, -1)}1`, RFC_CHALLENGE)).toBe(false);
    expect(verifyPkceS256(RFC_CHALLENGE, RFC_CHALLENGE)).toBe(false);
  });

  it("rejects verifiers outside RFC 7636's length and alphabet", () => {
    const short = "a".repeat(42);
    const challengeOf = (v: string) => createHash("sha256").update(v).digest("base64url");
    expect(verifyPkceS256(short, challengeOf(short))).toBe(false);
    const long = "a".repeat(129);
    expect(verifyPkceS256(long, challengeOf(long))).toBe(false);
    const spaced = `${"a".repeat(42)} b`;
    expect(verifyPkceS256(spaced, challengeOf(spaced))).toBe(false);
  });

  it("recognizes only 43-character base64url strings as S256 challenges", () => {
    expect(isS256Challenge(RFC_CHALLENGE)).toBe(true);
    expect(isS256Challenge(`${RFC_CHALLENGE}=`)).toBe(false);
    expect(isS256Challenge(RFC_CHALLENGE.slice(1))).toBe(false);
    expect(isS256Challenge(`${RFC_CHALLENGE.slice(1)}+`)).toBe(false);
  });
});
