import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import type { EventHandler } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import type { AppServer } from "@devflow/observability/service";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";

// The worker on Cloud Run: Pub/Sub pushes each handler's events to /pubsub/push/<handler>, with a
// Google-signed OIDC token (here signed by a local key set in Google's documented claim shape).

const AUDIENCE = "https://worker.devflow.test/pubsub/push";
const PUSHER = "pubsub-push@devflow-test.iam.gserviceaccount.com";
const KID = "push-key";

let t: TestDatabase;
let acme: OrganizationFixture;
let keys: Server;
let signingKey: CryptoKey;
let worker: AppServer;
let baseUrl: string;
const handled: DomainEvent[] = [];
let failNext = false;

const handler: EventHandler<"document.archived"> = {
  name: "push-test-archived",
  type: "document.archived",
  async handle(event) {
    if (failNext) {
      failNext = false;
      throw new Error("downstream is down");
    }
    handled.push(event);
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  keys = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => keys.listen(0, "127.0.0.1", resolve));
  const config = loadConfig("worker", WorkerConfigSchema, {
    HOST: "127.0.0.1",
    EVENT_BUS: "pubsub",
    PUBSUB_PROJECT_ID: "devflow-test",
    PUBSUB_DELIVERY: "push",
    PUBSUB_PUSH_AUDIENCE: AUDIENCE,
    PUBSUB_PUSH_SERVICE_ACCOUNT: PUSHER,
    PUBSUB_PUSH_JWKS_URL: `http://127.0.0.1:${(keys.address() as AddressInfo).port}/certs`,
  });
  worker = createWorkerServer({
    config: { ...config, port: 0 },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
    handlers: [handler as EventHandler],
  });
  baseUrl = await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await new Promise((resolve) => keys?.close(resolve));
  await t?.drop();
});

function token(email = PUSHER): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
    .setIssuer("https://accounts.google.com")
    .setAudience(AUDIENCE)
    .setSubject("1234567890")
    .setIssuedAt(now - 10)
    .setExpirationTime(now + 3_000)
    .sign(signingKey);
}

function archived(): DomainEvent<"document.archived"> {
  return {
    id: randomUUID(),
    type: "document.archived",
    version: 1,
    organizationId: acme.organization.id,
    occurredAt: new Date().toISOString(),
    data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
  };
}

/** The body Pub/Sub POSTs to a push endpoint (its documented envelope). */
function envelope(event: DomainEvent, deliveryAttempt = 1) {
  return {
    message: {
      data: Buffer.from(JSON.stringify(event)).toString("base64"),
      attributes: { eventId: event.id, eventType: event.type, organizationId: event.organizationId },
      messageId: String(Date.now()),
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/devflow-test/subscriptions/${handler.name}`,
    deliveryAttempt,
  };
}

async function push(path: string, body: unknown, authorization?: string) {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization && { authorization }) },
    body: JSON.stringify(body),
  });
}

describe("Pub/Sub push", () => {
  it("runs the handler for a message signed by our push service account and acks it", async () => {
    const event = archived();
    const response = await push(`/pubsub/push/${handler.name}`, envelope(event), `Bearer ${await token()}`);
    expect(response.status).toBe(204);
    expect(handled.map((e) => e.id)).toContain(event.id);
  });

  it("refuses a token from anyone else, or none, and runs nothing", async () => {
    const event = archived();
    for (const authorization of [`Bearer ${await token("someone@else.iam.gserviceaccount.com")}`, undefined]) {
      const response = await push(`/pubsub/push/${handler.name}`, envelope(event), authorization);
      expect(response.status).toBe(401);
    }
    expect(handled.map((e) => e.id)).not.toContain(event.id);
  });

  it("asks Pub/Sub to redeliver when the handler fails, and says so for an unknown handler or a body that is not a push", async () => {
    failNext = true;
    const event = archived();
    expect((await push(`/pubsub/push/${handler.name}`, envelope(event), `Bearer ${await token()}`)).status).toBe(500);
    expect((await push(`/pubsub/push/${handler.name}`, envelope(event, 2), `Bearer ${await token()}`)).status).toBe(
      204,
    );
    expect(handled.filter((e) => e.id === event.id)).toHaveLength(1);
    expect((await push("/pubsub/push/no-such-handler", envelope(event), `Bearer ${await token()}`)).status).toBe(404);
    expect((await push(`/pubsub/push/${handler.name}`, { hello: "world" }, `Bearer ${await token()}`)).status).toBe(
      400,
    );
  });
});
