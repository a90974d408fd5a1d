import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createLogger } from "@devflow/observability";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";

let t: TestDatabase;
let worker: { listen(): Promise<string>; close(): Promise<void> };
let baseUrl: string;

beforeAll(async () => {
  t = await createTestDatabase();
  worker = createWorkerServer({
    config: {
      ...loadConfig("worker", WorkerConfigSchema, { HOST: "127.0.0.1", WEBHOOK_RATE_LIMIT_PER_MINUTE: "3" }),
      port: 0,
    },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
  });
  baseUrl = await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await t?.drop();
});

const deliver = (path: string, integration: string) =>
  fetch(`${baseUrl}${path}?integration=${integration}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": randomUUID() },
    body: "{}",
  });

describe("webhook rate limit", () => {
  it("caps each integration's address per minute with 429 and Retry-After, leaving other addresses alone", async () => {
    const flooded = randomUUID();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await deliver("/webhooks/github", flooded)).status);
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses[3]).toBe(429);

    const limited = await deliver("/webhooks/github", flooded);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });

    expect((await deliver("/webhooks/github", randomUUID())).status).toBe(404);
    expect((await deliver("/webhooks/slack", flooded)).status).toBe(404);
  });
});
