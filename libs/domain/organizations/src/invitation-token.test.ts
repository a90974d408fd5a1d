import { describe, expect, it } from "vitest";
import { newInvitationToken, readInvitationToken } from "./invitation-token";

const ORG = "0f3c2a1e-9b8d-4c7e-a6f5-112233445566";

describe("invitation tokens", () => {
  it("carry the organization id and a 32-byte secret, and are stored only as a SHA-256 hash", () => {
    const { token, tokenHash } = newInvitationToken(ORG);
    expect(token).toMatch(/^0f3c2a1e9b8d4c7ea6f5112233445566\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.split(".")[1]!, "base64url")).toHaveLength(32);
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).not.toContain(token.split(".")[1]);
    expect(readInvitationToken(token)).toEqual({ organizationId: ORG, tokenHash });
  });

  it("differ every time", () => {
    expect(newInvitationToken(ORG).token).not.toBe(newInvitationToken(ORG).token);
  });

  it("reject anything that is not a token", () => {
    for (const bad of [
      "",
      "abc",
      `${ORG}.x`,
      "0f3c2a1e9b8d4c7ea6f5112233445566",
      "0F3C2A1E9B8D4C7EA6F5112233445566.short",
    ]) {
      expect(readInvitationToken(bad)).toBeNull();
    }
  });
});
