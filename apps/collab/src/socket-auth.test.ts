import { randomUUID } from "node:crypto";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
} from "@devflow/auth";
import type { Database } from "@devflow/db";
import { createLogger } from "@devflow/observability";
import { createServiceServer, type ServiceServer } from "@devflow/observability/service";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CollabIo } from "./socket-auth";
import { attachSocketServer } from "./socket-server";
import type { RawWebSocket } from "./testing/raw-websocket";
import { connectSocketIo } from "./testing/socket-io";

const claims = { userId: randomUUID(), organizationId: randomUUID(), role: "member" } as const;
let signer: ServiceTokenSigner;
beforeAll(async () => {
  const { privateKeyPem } = await generateServiceTokenKeyPair();
  signer = await createServiceTokenSigner({ privateKeyPem, issuer: SERVICE_TOKEN_ISSUER });
});

const started: ServiceServer[] = [];
const sockets: RawWebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.drop();
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function start(): Promise<{ url: string; io: CollabIo }> {
  const logger = createLogger({ service: "collab", level: "silent" });
  const server = createServiceServer({
    service: "collab",
    logger,
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 1_000,
    readinessChecks: [],
  });
  started.push(server);
  const serviceTokens = createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER });
  const { io } = attachSocketServer(server, { logger, serviceTokens, db: unreachableDatabase() });
  return { url: await server.listen(), io };
}

/** These tests stop at the handshake; any use of the database is a bug in the test. */
function unreachableDatabase(): Database {
  return new Proxy({} as Database, {
    get: (_target, property) => {
      throw new Error(`the handshake tests must not reach the database (db.${String(property)})`);
    },
  });
}

async function connect(url: string, auth?: Record<string, unknown>) {
  const { socket, reply } = await connectSocketIo(url, auth);
  sockets.push(socket);
  return reply;
}

describe("collab socket authentication", () => {
  it("refuses a socket that sends no token", async () => {
    const { url, io } = await start();
    expect(await connect(url)).toEqual({
      ok: false,
      message: "Connect with auth: { token } holding a service token from the web app",
      data: {
        code: "unauthenticated",
        message: "Connect with auth: { token } holding a service token from the web app",
      },
    });
    expect(await io.fetchSockets()).toEqual([]);
  });

  it("refuses a token that is not a valid service token", async () => {
    const { url } = await start();
    expect(await connect(url, { token: "not.a.token" })).toMatchObject({
      ok: false,
      data: { code: "unauthenticated", message: "Service token is malformed" },
    });
  });

  it("refuses an expired token", async () => {
    const { url } = await start();
    const { token } = await signer.sign(claims, {
      audience: "devflow-collab",
      ttlSeconds: 60,
      now: new Date(Date.now() - 10 * 60 * 1000),
    });
    expect(await connect(url, { token })).toMatchObject({
      ok: false,
      data: { code: "unauthenticated", message: "Service token has expired; ask the web app for a new one" },
    });
  });

  it("refuses a token minted for another service", async () => {
    const { url } = await start();
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    expect(await connect(url, { token })).toMatchObject({
      ok: false,
      data: { code: "unauthenticated", message: "Service token is not meant for devflow-collab" },
    });
  });

  it("admits a valid token and keeps the user, organization and role on socket.data", async () => {
    const { url, io } = await start();
    const { token, expiresAt } = await signer.sign(claims, { audience: "devflow-collab" });
    const reply = await connect(url, { token });
    expect(reply.ok).toBe(true);

    const [socket, ...others] = await io.fetchSockets();
    expect(others).toEqual([]);
    expect(socket?.id).toBe(reply.ok ? reply.sid : undefined);
    expect(socket?.data.principal).toEqual({ ...claims, audience: "devflow-collab", expiresAt });
  });
});
