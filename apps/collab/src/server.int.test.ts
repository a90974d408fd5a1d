import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createServiceTokenSigner,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
} from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createLogger, REQUEST_ID_HEADER } from "@devflow/observability";
import { createMemoryLog, describeServiceServer } from "@devflow/observability/testing";
import type { AppServer } from "@devflow/observability/service";
import { CollabConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCollabServer } from "./server";
import type { RawWebSocket } from "./testing/raw-websocket";
import { connectSocketIo } from "./testing/socket-io";

let t: TestDatabase;
let signer: ServiceTokenSigner;
let jwksServer: Server;
let jwksUrl: string;
beforeAll(async () => {
  t = await createTestDatabase();
  signer = await createServiceTokenSigner({
    privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
    issuer: SERVICE_TOKEN_ISSUER,
  });
  // Stands in for the web app's /.well-known/jwks.json, reached through SERVICE_TOKEN_JWKS_URL.
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(signer.publicJwks()));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await t?.drop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const config = { ...loadConfig("collab", CollabConfigSchema, { HOST: "127.0.0.1" }), port: 0 };

describeServiceServer("collab", ({ logger, ping }) =>
  createCollabServer({ config, db: ping ? { ...t.db, ping } : t.db, logger }),
);

describe("collab sockets", () => {
  let server: AppServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Joins the main namespace with a fresh service token, as the web client does. */
  async function connectClient(url: string): Promise<RawWebSocket> {
    const claims = { userId: randomUUID(), organizationId: randomUUID(), role: "member" } as const;
    const { token } = await signer.sign(claims, { audience: "devflow-collab" });
    const { socket, reply } = await connectSocketIo(url, { token });
    expect(reply.ok).toBe(true);
    return socket;
  }

  async function connectionGauge(url: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const match = /^devflow_collab_connections (\d+)$/m.exec(text);
    if (!match) throw new Error("devflow_collab_connections is missing from /metrics");
    return Number(match[1]);
  }

  it("counts only authenticated Socket.io clients in devflow_collab_connections", async () => {
    server = createCollabServer({
      config: { ...config, SERVICE_TOKEN_JWKS_URL: jwksUrl },
      db: t.db,
      logger: createLogger({ service: "collab", level: "silent" }),
    });
    const url = await server.listen();
    expect(await connectionGauge(url)).toBe(0);

    const first = await connectClient(url);
    const second = await connectClient(url);
    const refused = await connectSocketIo(url);
    expect(refused.reply).toMatchObject({ ok: false, data: { code: "unauthenticated" } });
    expect(first.headers[REQUEST_ID_HEADER]).toBeTruthy();
    expect(await connectionGauge(url)).toBe(2);
    refused.socket.drop();

    first.drop();
    await expect.poll(() => connectionGauge(url)).toBe(1);
    second.drop();
    await expect.poll(() => connectionGauge(url)).toBe(0);
  });

  it("closes socket transports on shutdown so clients reconnect elsewhere, within the timeout", async () => {
    const log = createMemoryLog();
    server = createCollabServer({
      config: { ...config, SERVICE_TOKEN_JWKS_URL: jwksUrl, SHUTDOWN_TIMEOUT_MS: 20_000 },
      db: t.db,
      logger: createLogger({ service: "collab", level: "info", destination: log.destination }),
    });
    const url = await server.listen();
    const client = await connectClient(url);

    await server.close();
    const received = await client.closed;
    // "41" would be a namespace disconnect, which tells socket.io-client not to reconnect.
    expect(received).not.toContain("41");
    expect(log.lines().some((line) => String(line.msg).startsWith("shutdown timeout reached"))).toBe(false);
  });
});
