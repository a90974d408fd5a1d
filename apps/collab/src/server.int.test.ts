import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createLogger, REQUEST_ID_HEADER } from "@devflow/observability";
import { createMemoryLog, describeServiceServer } from "@devflow/observability/testing";
import type { AppServer } from "@devflow/observability/service";
import { CollabConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCollabServer } from "./server";
import { openRawWebSocket, type RawWebSocket } from "./testing/raw-websocket";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
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

  /** Opens a Socket.IO session over the websocket transport and joins the main namespace. */
  async function connectClient(url: string): Promise<RawWebSocket> {
    const socket = await openRawWebSocket(`${url}/socket.io/?EIO=4&transport=websocket`);
    expect(await socket.nextMessage()).toMatch(/^0\{"sid":/);
    socket.send("40");
    expect(await socket.nextMessage()).toMatch(/^40\{"sid":/);
    return socket;
  }

  async function connectionGauge(url: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const match = /^devflow_collab_connections (\d+)$/m.exec(text);
    if (!match) throw new Error("devflow_collab_connections is missing from /metrics");
    return Number(match[1]);
  }

  it("counts connected Socket.io clients in devflow_collab_connections", async () => {
    server = createCollabServer({ config, db: t.db, logger: createLogger({ service: "collab", level: "silent" }) });
    const url = await server.listen();
    expect(await connectionGauge(url)).toBe(0);

    const first = await connectClient(url);
    const second = await connectClient(url);
    expect(first.headers[REQUEST_ID_HEADER]).toBeTruthy();
    expect(await connectionGauge(url)).toBe(2);

    first.drop();
    await expect.poll(() => connectionGauge(url)).toBe(1);
    second.drop();
    await expect.poll(() => connectionGauge(url)).toBe(0);
  });

  it("closes socket transports on shutdown so clients reconnect elsewhere, within the timeout", async () => {
    const log = createMemoryLog();
    server = createCollabServer({
      config: { ...config, SHUTDOWN_TIMEOUT_MS: 20_000 },
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
