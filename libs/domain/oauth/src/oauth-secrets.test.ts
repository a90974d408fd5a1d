import { randomUUID } from "node:crypto";
import { hashApiToken } from "@devflow/auth";
import { describe, expect, it } from "vitest";
import {
  generateAuthorizationCode,
  generateRefreshToken,
  parseAuthorizationCode,
  parseRefreshToken,
} from "./oauth-secrets";

describe("authorization codes and refresh tokens", () => {
  const organizationId = randomUUID();
  const grantId = randomUUID();

  it("carry their organization (and a refresh token its grant), and are stored by hash only", () => {
    const code = generateAuthorizationCode(organizationId);
    expect(code.value).toMatch(/^dfc_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(code.hash).toBe(hashApiToken(code.value));
    expect(parseAuthorizationCode(code.value)).toEqual({ organizationId, hash: code.hash });

    const refresh = generateRefreshToken(organizationId, grantId);
    expect(refresh.value).toMatch(/^dfr_[0-9a-f]{32}_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(parseRefreshToken(refresh.value)).toEqual({ organizationId, grantId, hash: refresh.hash });
  });

  it("are never the same twice", () => {
    expect(generateAuthorizationCode(organizationId).value).not.toBe(generateAuthorizationCode(organizationId).value);
  });

  it("do not parse as each other or as anything else", () => {
    const code = generateAuthorizationCode(organizationId).value;
    const refresh = generateRefreshToken(organizationId, grantId).value;
    expect(parseRefreshToken(code)).toBeNull();
    expect(parseAuthorizationCode(refresh)).toBeNull();
    for (const raw of ["", "dfc_", code.toUpperCase(), `${code}x`, ` ${code}`, refresh.replace("dfr_", "dfp_")]) {
      expect(parseAuthorizationCode(raw)).toBeNull();
      expect(parseRefreshToken(raw)).toBeNull();
    }
  });
});
