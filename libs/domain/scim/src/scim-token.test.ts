import { describe, expect, it } from "vitest";
import { generateScimToken, hashScimToken, parseScimToken } from "./scim-token";

const ORG = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("SCIM tokens", () => {
  it("embeds the organization and round-trips through parse", () => {
    const { token, hash, prefix } = generateScimToken(ORG);
    expect(token).toMatch(/^dfscim_0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d_[A-Za-z0-9_-]{43}$/);
    expect(parseScimToken(token)).toEqual({ organizationId: ORG, hash });
    expect(hash).toBe(hashScimToken(token));
    expect(token.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(token.length - 30);
  });

  it("rejects anything not shaped like a SCIM token", () => {
    const { token } = generateScimToken(ORG);
    for (const raw of ["", "dfp_" + token.slice(7), token + "x", token.toUpperCase(), 42, null]) {
      expect(parseScimToken(raw)).toBeNull();
    }
  });
});
