import { InvalidEventError, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from "jose";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHandler } from "./event-bus";
import {
  createPubSubPushVerifier,
  decodePushMessage,
  handlePush,
  PushAuthenticationError,
  PushEnvelopeError,
  type PubSubPushVerifier,
} from "./pubsub-push";

// The push verifier against a key set served on 127.0.0.1, as Google serves its own: tokens signed
// here stand in for the ones Pub/Sub attaches to each push request.

const AUDIENCE = "https://worker.devflow.test/v1/pubsub/push";
const PUSHER = "pubsub-push@devflow-test.iam.gserviceaccount.com";
const KID = "test-key-1";

let server: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let verifier: PubSubPushVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  verifier = createPubSubPushVerifier({ audience: AUDIENCE, serviceAccountEmail: PUSHER, jwksUrl });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

interface TokenOverrides {
  audience?: string;
  issuer?: string;
  email?: string;
  emailVerified?: boolean;
  expiresAt?: number;
  key?: CryptoKey;
}

/** A token shaped like Google's push tokens (claims as documented), signed with the test key. */
function googleToken(overrides: TokenOverrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: overrides.email ?? PUSHER, email_verified: overrides.emailVerified ?? true })
    .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
    .setIssuer(overrides.issuer ?? "https://accounts.google.com")
    .setAudience(overrides.audience ?? AUDIENCE)
    .setSubject("112233445566778899000")
    .setIssuedAt(now - 60)
    .setExpirationTime(overrides.expiresAt ?? now + 3_540)
    .sign(overrides.key ?? signingKey);
}

const bearer = async (overrides?: TokenOverrides) => `Bearer ${await googleToken(overrides)}`;

describe("createPubSubPushVerifier", () => {
  it("accepts a token Google signed for the audience and the push service account", async () => {
    const claims = await verifier.verify(await bearer());
    expect(claims).toMatchObject({ email: PUSHER, aud: AUDIENCE, iss: "https://accounts.google.com" });
  });

  it("accepts Google's other spelling of its issuer", async () => {
    await expect(verifier.verify(await bearer({ issuer: "accounts.google.com" }))).resolves.toMatchObject({
      email: PUSHER,
    });
  });

  // Overrides are built when each case runs: the stranger's key exists only after beforeAll.
  it.each<[string, () => TokenOverrides, RegExp]>([
    ["minted for another audience", () => ({ audience: "https://elsewhere.test/push" }), /"aud"/],
    ["from another issuer", () => ({ issuer: "https://issuer.example.test" }), /"iss"/],
    ["expired", () => ({ expiresAt: Math.floor(Date.now() / 1000) - 120 }), /"exp"/],
    ["issued to another account", () => ({ email: "someone@example.test" }), /service account/],
    ["for an unverified email", () => ({ emailVerified: false }), /service account/],
    ["signed by a key that is not Google's", () => ({ key: strangerKey }), /signature/],
  ])("refuses a token %s", async (_case, overrides, reason) => {
    const refusal = verifier.verify(await bearer(overrides()));
    await expect(refusal).rejects.toBeInstanceOf(PushAuthenticationError);
    await expect(refusal).rejects.toThrow(reason);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const unsigned = new UnsecuredJWT({ email: PUSHER, email_verified: true })
      .setIssuer("https://accounts.google.com")
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .encode();
    await expect(verifier.verify(`Bearer ${unsigned}`)).rejects.toBeInstanceOf(PushAuthenticationError);
  });

  it("refuses a token whose claims were changed after signing", async () => {
    const [header, , signature] = (await googleToken()).split(".");
    const forged = Buffer.from(
      JSON.stringify({
        email: PUSHER,
        email_verified: true,
        aud: AUDIENCE,
        iss: "https://accounts.google.com",
        exp: 4_102_444_800,
        iat: 1,
      }),
    ).toString("base64url");
    await expect(verifier.verify(`Bearer ${header}.${forged}.${signature}`)).rejects.toThrow(/signature/);
  });

  it("refuses a request without a Bearer token", async () => {
    await expect(verifier.verify(undefined)).rejects.toBeInstanceOf(PushAuthenticationError);
    await expect(verifier.verify(`Basic ${Buffer.from("a:b").toString("base64")}`)).rejects.toBeInstanceOf(
      PushAuthenticationError,
    );
  });
});

const organizationId = randomUUID();
const event: DomainEvent<"document.archived"> = {
  id: randomUUID(),
  type: "document.archived",
  version: 1,
  organizationId,
  occurredAt: "2026-11-30T08:00:00.000Z",
  data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
};

/** The body Pub/Sub POSTs to a push endpoint (wrapped format). */
function envelope(data: unknown, attributes: Record<string, string> = {}, deliveryAttempt?: number) {
  return {
    message: {
      data: Buffer.from(typeof data === "string" ? data : JSON.stringify(data)).toString("base64"),
      attributes,
      messageId: "1234567890",
      message_id: "1234567890",
      publishTime: "2026-11-30T08:00:01.000Z",
    },
    subscription: "projects/devflow-test/subscriptions/notify-on-archive",
    ...(deliveryAttempt !== undefined && { deliveryAttempt }),
  };
}

describe("decodePushMessage", () => {
  it("reads the event, its attributes and the delivery attempt out of the envelope", () => {
    const decoded = decodePushMessage(envelope(event, { eventId: event.id }, 2));
    expect(decoded.event).toEqual(event);
    expect(decoded.subscription).toBe("projects/devflow-test/subscriptions/notify-on-archive");
    expect(decoded.delivery).toMatchObject({
      messageId: "1234567890",
      attributes: { eventId: event.id },
      deliveryAttempt: 2,
    });
  });

  it("refuses a body that is not a push envelope", () => {
    expect(() => decodePushMessage({ message: { data: "%%%", messageId: "1" }, subscription: "s" })).toThrow(
      PushEnvelopeError,
    );
    expect(() => decodePushMessage(event)).toThrow(PushEnvelopeError);
  });

  it("refuses a message that is not an event of the catalog", () => {
    expect(() => decodePushMessage(envelope("not json"))).toThrow(InvalidEventError);
    expect(() => decodePushMessage(envelope({ ...event, version: 7 }))).toThrow(/version 7/);
  });
});

describe("handlePush", () => {
  // These outcomes never reach the database; filing dead letters is covered against a real one.
  const noDatabase = new Proxy(
    {},
    { get: () => () => Promise.reject(new Error("no database in this test")) },
  ) as Database;
  const handled: string[] = [];
  let failing = false;
  const handler: EventHandler = {
    name: "notify-on-archive",
    type: "document.archived",
    async handle(received) {
      if (failing) throw new Error("Slack is down");
      handled.push(received.id);
    },
  };
  const push = async (body: unknown, authorization?: string) =>
    handlePush(
      handler,
      { authorization: authorization ?? (await bearer()), body },
      { verifier, db: noDatabase, policy: { maxAttempts: 5 } },
    );

  it("acks with 204 once the handler has applied the event", async () => {
    expect(await push(envelope(event, {}, 1))).toEqual({ status: 204, outcome: "handled" });
    expect(handled).toContain(event.id);
  });

  it("answers 500, for Pub/Sub to redeliver after its backoff, while attempts are left", async () => {
    failing = true;
    try {
      expect(await push(envelope(event, {}, 4))).toEqual({ status: 500, outcome: "retry" });
    } finally {
      failing = false;
    }
  });

  it("acks without handling an admin's retry meant for another handler", async () => {
    const before = handled.length;
    expect(await push(envelope(event, { handler: "someone-else" }, 1))).toEqual({ status: 204, outcome: "skipped" });
    expect(handled).toHaveLength(before);
  });

  it("answers 401 and handles nothing when the token is refused", async () => {
    const before = handled.length;
    expect(await push(envelope(event), await bearer({ audience: "https://elsewhere.test" }))).toEqual({
      status: 401,
      outcome: "unauthenticated",
    });
    expect(handled).toHaveLength(before);
  });

  it("answers 400 to a body that is not a push envelope", async () => {
    expect(await push({ hello: "world" })).toEqual({ status: 400, outcome: "malformed" });
  });

  it("answers 422 to a message that is neither an event nor attributable to an organization", async () => {
    expect(await push(envelope("not json", {}, 1))).toEqual({ status: 422, outcome: "rejected" });
  });
});
