import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createLogger } from "@devflow/observability";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createCollabCluster, type CollabCluster } from "./collab-cluster";
import { TEST_REDIS_URL } from "./testing/collab-cluster";

/** The warnings the cluster logs (its Redis connections' errors among them). */
function recordingLogger() {
  const lines: { msg: string; role?: string; err?: { message?: string } }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ service: "collab", level: "warn", destination }) };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("collab cluster's Redis connections", () => {
  let cluster: CollabCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it("keeps a subscribing connection that subscribes the moment Redis accepts it", async () => {
    // The Socket.io adapter and the owner forwarding subscribe on their own schedule; one that does
    // so right as the socket connects used to have Redis refuse the connection's later INFO, and
    // the rejected INFO ended the process at start-up.
    const { lines, logger } = recordingLogger();
    const channel = `probe:${randomUUID()}`;
    const clients: Redis[] = [];
    const received: string[] = [];
    cluster = createCollabCluster({
      redisUrl: TEST_REDIS_URL,
      logger,
      keyPrefix: `test:${randomUUID()}:`,
      connect: (url, options) => {
        const client = new Redis(url, options);
        const isSubscriber = clients.length === 1;
        clients.push(client);
        if (isSubscriber) {
          client.once("connect", () => void client.subscribe(channel));
          client.on("message", (from: string, message: string) => from === channel && received.push(message));
        }
        return client;
      },
    });
    const [publisher, subscriber] = clients;

    await until(() => subscriber!.status === "ready" && publisher!.status === "ready");
    await until(() => {
      void publisher!.publish(channel, "hello");
      return received.length > 0;
    });
    expect(received[0]).toBe("hello");
    expect(lines.filter((l) => l.msg === "collab Redis connection error")).toEqual([]);
  });
});
