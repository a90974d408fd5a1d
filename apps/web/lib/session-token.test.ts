import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signSessionToken, verifySessionToken } from "./session-token";

const secret = new TextEncoder().encode("a-test-secret-that-is-at-least-32-characters");
const claims = {
  userId: "0b8a1f0e-6a53-4d7e-9c1a-3f2b7d9e4c10",
  organizationId: "7d3c5b1a-2e4f-4a6b-8c9d-0e1f2a3b4c5d",
  auth: { method: "email" as const },
};

describe("session tokens", () => {
  it("round-trips the user and the current organization", async () => {
    const token = await signSessionToken(claims, secret);
    expect(await verifySessionToken(token, secret)).toEqual(claims);
  });

  it("round-trips how the user signed in, including their SSO connection", async () => {
    const sso = {
      ...claims,
      auth: { method: "sso", organizationId: claims.organizationId, connectionId: claims.userId } as const,
    };
    expect(await verifySessionToken(await signSessionToken(sso, secret), secret)).toEqual(sso);
  });

  it("round-trips a session without an organization", async () => {
    const token = await signSessionToken({ ...claims, organizationId: null }, secret);
    expect(await verifySessionToken(token, secret)).toEqual({ ...claims, organizationId: null });
  });

  it("rejects an expired token", async () => {
    const token = await signSessionToken(claims, secret, { ttlSeconds: 60, now: new Date("2026-01-01T00:00:00Z") });
    expect(await verifySessionToken(token, secret, { now: new Date("2026-01-01T00:00:30Z") })).toEqual(claims);
    expect(await verifySessionToken(token, secret, { now: new Date("2026-01-01T00:02:00Z") })).toBeNull();
  });

  it("rejects a token whose payload was changed after signing", async () => {
    const [header, payload, signature] = (await signSessionToken(claims, secret)).split(".");
    const decoded = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...decoded, sub: "11111111-1111-4111-8111-111111111111" })).toString(
      "base64url",
    );
    expect(await verifySessionToken(`${header}.${forged}.${signature}`, secret)).toBeNull();
  });

  it("rejects a token signed with another secret", async () => {
    const token = await signSessionToken(claims, new TextEncoder().encode("another-secret-another-secret-another"));
    expect(await verifySessionToken(token, secret)).toBeNull();
  });

  it("rejects an unsigned token (alg none) and garbage", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: claims.userId, org: null })).toString("base64url");
    expect(await verifySessionToken(`${header}.${payload}.`, secret)).toBeNull();
    expect(await verifySessionToken("not-a-token", secret)).toBeNull();
  });

  it("rejects a validly signed token that is not a session (other audience, bad subject)", async () => {
    const serviceToken = await new SignJWT({ org: null })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.userId)
      .setIssuer("devflow-web")
      .setAudience("devflow-collab")
      .setExpirationTime("1h")
      .sign(secret);
    expect(await verifySessionToken(serviceToken, secret)).toBeNull();

    const badSubject = await signSessionToken({ ...claims, userId: "not-a-uuid" }, secret);
    expect(await verifySessionToken(badSubject, secret)).toBeNull();
  });
});
