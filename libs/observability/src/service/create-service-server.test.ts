import { AppError } from "@devflow/util-core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../logger";
import { REQUEST_ID_HEADER } from "../request-id";
import { createMemoryLog } from "../testing/memory-log";
import { createServiceServer, type ServiceServer } from "./create-service-server";

const started: ServiceServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

function startable(shutdownTimeoutMs = 5_000) {
  const log = createMemoryLog();
  const server = createServiceServer({
    service: "test",
    logger: createLogger({ service: "test", level: "info", destination: log.destination }),
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs,
    readinessChecks: [],
  });
  started.push(server);
  return { server, log };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createServiceServer", () => {
  it("keeps idle connections open longer than a Google Cloud load balancer reuses them", async () => {
    const { server } = startable();
    await server.listen();
    expect(server.app.server.keepAliveTimeout).toBeGreaterThan(600_000);
    expect(server.app.server.headersTimeout).toBeGreaterThan(server.app.server.keepAliveTimeout);
  });

  it("turns an unexpected error into a bare internal envelope and logs the cause", async () => {
    const { server, log } = startable();
    server.app.get("/boom", async () => {
      throw new Error('relation "documents" does not exist');
    });
    const url = await server.listen();

    const response = await fetch(`${url}/boom`);
    const requestId = response.headers.get(REQUEST_ID_HEADER);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      error: {
        code: "internal",
        message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      },
    });
    expect(body).not.toContain("documents");
    expect(body).not.toContain("at ");
    expect(log.lines().find((line) => line.msg === "request failed")).toMatchObject({
      requestId,
      level: "error",
      err: { message: 'relation "documents" does not exist' },
    });
  });

  it("maps AppError and ZodError to their codes", async () => {
    const { server } = startable();
    server.app.get("/conflict", async () => {
      throw new AppError("conflict", "Document d1 is at v12, op was based on v9", { details: { version: 12 } });
    });
    server.app.get("/invalid", async () => z.object({ title: z.string() }).parse({}));
    const url = await server.listen();

    const conflict = await fetch(`${url}/conflict`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      error: { code: "conflict", message: "Document d1 is at v12, op was based on v9", details: { version: 12 } },
    });
    const invalid = await fetch(`${url}/invalid`);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: { code: "validation_failed", details: [expect.objectContaining({ path: ["title"] })] },
    });
  });

  it("refuses bodies over 1 MB with payload_too_large", async () => {
    const { server } = startable();
    server.app.post("/echo", async (request) => request.body);
    const url = await server.listen();

    const small = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(small.status).toBe(200);
    const large = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: "x".repeat(1024 * 1024) }),
    });
    expect(large.status).toBe(413);
    expect(large.headers.get(REQUEST_ID_HEADER)).toBeTruthy();
    expect(await large.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("lets an in-flight request finish before close resolves", async () => {
    const { server } = startable();
    const entered = deferred();
    const release = deferred();
    server.app.get("/slow", async () => {
      entered.resolve();
      await release.promise;
      return { done: true };
    });
    const url = await server.listen();

    const pending = fetch(`${url}/slow`);
    await entered.promise;
    let isClosed = false;
    const closing = server.close().then(() => (isClosed = true));
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    expect(isClosed).toBe(false);

    release.resolve();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
  });

  it("cuts requests still open when the shutdown timeout passes", async () => {
    const { server, log } = startable(100);
    const entered = deferred();
    server.app.get("/stuck", async () => {
      entered.resolve();
      await new Promise<never>(() => {});
    });
    const url = await server.listen();

    const pending = fetch(`${url}/stuck`);
    await entered.promise;
    await server.close();
    await expect(pending).rejects.toThrow();
    expect(log.lines().some((line) => line.msg === "shutdown timeout reached; cutting open connections")).toBe(true);
  });

  it("returns the real URL when asked for port 0", async () => {
    const { server } = startable();
    const url = await server.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
  });
});
