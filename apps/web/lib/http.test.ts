import { AppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { assertSameSite, handle, JSON_BODY_LIMIT_BYTES, readJson, toErrorResponse } from "./http";
import { webLogger } from "./logger";

const noParams = { params: Promise.resolve({}) };

function request(init: RequestInit = {}): NextRequest {
  return new Request("http://web.test/api/v1/things", init) as NextRequest;
}

const jsonRequest = (body: string, headers: Record<string, string> = {}) =>
  request({ method: "POST", body, headers: { "content-type": "application/json", ...headers } });

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("handle", () => {
  it("answers an AppError with its code's status and the error envelope", async () => {
    const route = handle(async () => {
      throw new AppError("not_found", "Document 4f1c was not found", { report: false, details: { id: "4f1c" } });
    });
    const response = await route(request(), noParams);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "Document 4f1c was not found", details: { id: "4f1c" } },
    });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a ZodError with 400 validation_failed and the field issues in details", async () => {
    const schema = z.object({ title: z.string().min(1, "Title is required") });
    const route = handle(async (req) => readJson(req, schema));
    const response = await route(jsonRequest(JSON.stringify({ title: "" })), noParams);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toContain("title: Title is required");
    expect(body.error.details.issues).toEqual([{ path: "title", message: "Title is required", code: "too_small" }]);
  });

  it("answers malformed JSON with 400 instead of a server error", async () => {
    const route = handle(async (req) => readJson(req, z.object({})));
    const response = await route(jsonRequest("{ not json"), noParams);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: "validation_failed",
      message: "The request body is not valid JSON",
    });
  });

  it("refuses a body that is not declared as JSON", async () => {
    const route = handle(async (req) => readJson(req, z.object({})));
    const response = await route(
      request({ method: "POST", body: "email=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      noParams,
    );
    expect(response.status).toBe(400);
  });

  it("answers a body over 1 MB with 413, whether the length is declared or only discovered while reading", async () => {
    const route = handle(async (req) => readJson(req, z.unknown()));
    const big = JSON.stringify({ content: "x".repeat(JSON_BODY_LIMIT_BYTES) });

    const declared = await route(jsonRequest(big, { "content-length": String(big.length) }), noParams);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("payload_too_large");

    const chunks = [big.slice(0, big.length / 2), big.slice(big.length / 2)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const streamed = await route(
      request({
        method: "POST",
        body: stream,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit),
      noParams,
    );
    expect(streamed.status).toBe(413);
  });

  it("answers an unknown error with 500 internal, logs the cause and sends no detail of it", async () => {
    const logged = vi.spyOn(webLogger(), "error").mockImplementation(() => undefined);
    const route = handle(async () => {
      throw new Error("connection string postgresql://app:hunter2@db/x refused");
    });
    const response = await route(request(), noParams);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text).error.code).toBe("internal");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("at ");
    expect(logged).toHaveBeenCalledOnce();
  });

  it("keeps a plausible incoming request id and replaces one that is not", async () => {
    const route = handle(async () => ({ ok: true }));
    const kept = await route(request({ headers: { "x-request-id": "lb-1234.abc" } }), noParams);
    expect(kept.headers.get("x-request-id")).toBe("lb-1234.abc");
    const replaced = await route(request({ headers: { "x-request-id": "bad id\twith spaces" } }), noParams);
    expect(replaced.headers.get("x-request-id")).not.toContain("bad id");
  });

  it("sends 204 for a handler that returns nothing and marks API answers uncacheable", async () => {
    const response = await handle(async () => undefined)(request({ method: "DELETE" }), noParams);
    expect(response.status).toBe(204);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("toErrorResponse", () => {
  it("logs AppErrors that should page someone and stays quiet about expected ones", () => {
    const logger = fakeLogger();
    toErrorResponse(new AppError("forbidden", "Viewers cannot create documents", { report: false }), {
      requestId: "r1",
      logger,
    });
    expect(logger.error).not.toHaveBeenCalled();

    const response = toErrorResponse(new AppError("unavailable", "The database is not answering"), {
      requestId: "r2",
      logger,
    });
    expect(response.status).toBe(503);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it("recognises an AppError from another copy of the class by its shape", async () => {
    const foreign = Object.assign(new Error("Project 9 was not found"), {
      name: "AppError",
      code: "not_found",
      report: false,
    });
    const response = toErrorResponse(foreign, { requestId: "r3", logger: fakeLogger() });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe("Project 9 was not found");
  });

  it("treats an error that merely claims an unknown code as internal", async () => {
    const logger = fakeLogger();
    const impostor = Object.assign(new Error("nope"), { name: "AppError", code: "teapot", report: false });
    const response = toErrorResponse(impostor, { requestId: "r4", logger });
    expect(response.status).toBe(500);
    expect(logger.error).toHaveBeenCalledOnce();
  });
});

describe("assertSameSite", () => {
  const post = (headers: Record<string, string>) =>
    new Request("http://localhost:3000/api/v1/projects", { method: "POST", headers: { host: "localhost:3000", ...headers } });

  it("lets same-site writes, reads and bearer-token calls through", () => {
    expect(() => assertSameSite(post({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }))).not.toThrow();
    expect(() => assertSameSite(post({}))).not.toThrow();
    expect(() => assertSameSite(new Request("http://localhost:3000/x", { headers: { origin: "https://evil.example" } }))).not.toThrow();
    expect(() => assertSameSite(post({ origin: "https://evil.example", authorization: "Bearer dfp_x" }))).not.toThrow();
  });

  it("refuses cookie-authenticated writes from another site", () => {
    const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }];
    for (const headers of attempts) {
      expect(() => assertSameSite(post(headers))).toThrow(expect.objectContaining({ code: "forbidden", details: { reason: "csrf" } }));
    }
  });
});
