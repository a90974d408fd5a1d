import { createDocumentIndexer, createOfflineEmbedder, createRetrievalService } from "@devflow/ai-rag";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type RequestContext,
  type ServiceTokenSigner,
} from "@devflow/auth";
import { AssistantStreamEventSchema, CHAT_MESSAGE_MAX, type AssistantStreamEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import type { ChatModel } from "@devflow/ai-llm";
import { createLogger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens } from "@devflow/runtime";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { AiConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAiServer } from "../server";
import { registerAssistant } from "./register-assistant";

const WEB_ORIGIN = "http://localhost:3999";
let config: ReturnType<typeof AiConfigSchema.parse>;

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let signer: ServiceTokenSigner;
let server: AppServer;
let url: string;
let docId: string;
let mia: string;
let vic: string;
let globexToken: string;
let tokenFor: (ctx: RequestContext) => Promise<string>;

beforeAll(async () => {
  t = await createTestDatabase();
  signer = await createServiceTokenSigner({
    privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
    issuer: SERVICE_TOKEN_ISSUER,
  });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Platform", description: "" })).id;
  const doc = await createDocumentsService(t.db).create(acme.ctx, projectId, {
    title: "Deploys",
    kind: "design_doc",
    content: "# Deploys\n\nDeploys run every weekday at noon, after the integration suite passes.\n",
  });
  docId = doc.id;
  await createDocumentIndexer(t.db, { embedder: createOfflineEmbedder() }).indexDocument(acme.ctx, doc.id);
  tokenFor = async (ctx: RequestContext) =>
    (
      await signer.sign(
        { userId: ctx.actor.userId, organizationId: ctx.organizationId, role: ctx.actor.role },
        { audience: "devflow-ai" },
      )
    ).token;
  mia = await tokenFor(await acme.addMember("member", "Mia"));
  vic = await tokenFor(await acme.addMember("viewer", "Vic"));
  globexToken = await tokenFor(globex.ctx);
  config = {
    ...loadConfig("ai", AiConfigSchema, {
      HOST: "127.0.0.1",
      PUBLIC_URL: WEB_ORIGIN,
      AI_INDEXER: "0",
      AI_ASSISTANT_RATE_LIMIT_PER_MINUTE: "3",
    }),
    port: 0,
  };
  server = createAiServer({
    config,
    db: t.db,
    logger: createLogger({ service: "ai", level: "silent" }),
    serviceTokens: createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER }),
  });
  url = await server.listen();
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

function call(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Reads a `text/event-stream` body into its events, checked against the contract. */
async function readEvents(response: Response): Promise<AssistantStreamEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.startsWith("event:"))
    .map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      return AssistantStreamEventSchema.parse({
        event: eventLine!.slice("event: ".length),
        data: JSON.parse(dataLine!.slice("data: ".length)),
      });
    });
}

describe("the assistant API", () => {
  it("answers a question as a stream of deltas, citations and done, and keeps both messages", async () => {
    const created = await call(mia, "POST", "/v1/assistant/conversations", {});
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const answer = await call(mia, "POST", `/v1/assistant/conversations/${id}/messages`, {
      content: "When do deploys run?",
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(answer);
    expect(events[0]!.event).toBe("delta");
    const citations = events.find((e) => e.event === "citations");
    expect(citations?.event === "citations" && citations.data.citations[0]).toMatchObject({
      documentId: docId,
      version: 0,
    });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: "done", data: { model: "extractive-quotes", generative: false } });

    const detail = (await (await call(mia, "GET", `/v1/assistant/conversations/${id}`)).json()) as {
      title: string;
      messages: { role: string; citations: unknown[] }[];
    };
    expect(detail.title).toBe("When do deploys run?");
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.messages[1]!.citations.length).toBeGreaterThan(0);

    const list = (await (await call(mia, "GET", "/v1/assistant/conversations?limit=5")).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((c) => c.id)).toContain(id);

    const check = await call(mia, "POST", "/v1/assistant/citations/check", {
      citations: [{ documentId: docId, version: 0, start: 0, end: 9 }],
    });
    expect(await check.json()).toEqual({
      results: [
        expect.objectContaining({ status: "current", changed: false, current: { version: 0, start: 0, end: 9 } }),
      ],
    });
  });

  it("renames and deletes; someone else's conversation is not found, in the same organization or another", async () => {
    const { id } = (await (await call(mia, "POST", "/v1/assistant/conversations", { title: "Mine" })).json()) as {
      id: string;
    };
    for (const other of [vic, globexToken]) {
      expect((await call(other, "GET", `/v1/assistant/conversations/${id}`)).status).toBe(404);
      expect((await call(other, "PATCH", `/v1/assistant/conversations/${id}`, { title: "x" })).status).toBe(404);
      expect((await call(other, "POST", `/v1/assistant/conversations/${id}/messages`, { content: "x" })).status).toBe(
        404,
      );
      expect((await call(other, "DELETE", `/v1/assistant/conversations/${id}`)).status).toBe(404);
    }
    const renamed = await call(mia, "PATCH", `/v1/assistant/conversations/${id}`, { title: "Renamed" });
    expect(await renamed.json()).toMatchObject({ id, title: "Renamed" });
    expect((await call(mia, "DELETE", `/v1/assistant/conversations/${id}`)).status).toBe(204);
    expect((await call(mia, "GET", `/v1/assistant/conversations/${id}`)).status).toBe(404);
    expect((await call(mia, "GET", "/v1/assistant/conversations/not-a-uuid")).status).toBe(404);
  });

  it("refuses messages over the size limit and too many questions a minute, with the error envelope", async () => {
    const { id } = (await (await call(vic, "POST", "/v1/assistant/conversations", {})).json()) as { id: string };
    const tooLong = await call(vic, "POST", `/v1/assistant/conversations/${id}/messages`, {
      content: "x".repeat(CHAT_MESSAGE_MAX + 1),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { code: "validation_failed" } });
    const huge = await call(vic, "POST", `/v1/assistant/conversations/${id}/messages`, {
      content: "x".repeat(100_000),
    });
    expect(huge.status).toBe(413);

    // A fresh person: the limit counts every question asked, refused ones included.
    const rae = await tokenFor(await acme.addMember("member", "Rae"));
    const own = (await (await call(rae, "POST", "/v1/assistant/conversations", {})).json()) as { id: string };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await call(rae, "POST", `/v1/assistant/conversations/${own.id}/messages`, { content: `q${i}` });
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("answers the web app's CORS preflight before the token check, and no other origin's", async () => {
    const preflight = await fetch(`${url}/v1/assistant/conversations`, {
      method: "OPTIONS",
      headers: {
        origin: WEB_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");

    const stranger = await fetch(`${url}/v1/assistant/conversations`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();

    const unauthenticated = await fetch(`${url}/v1/assistant/status`, { headers: { origin: WEB_ORIGIN } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    const status = await fetch(`${url}/v1/assistant/status`, {
      headers: { origin: WEB_ORIGIN, authorization: `Bearer ${mia}` },
    });
    expect(await status.json()).toEqual({ provider: "extractive", model: "extractive-quotes", generative: false });
  });
});

describe("when the person goes away", () => {
  it("aborts the model call as soon as the client disconnects, and records the call as cancelled", async () => {
    let sawAbort!: () => void;
    const aborted = new Promise<void>((resolve) => (sawAbort = resolve));
    // A model that writes one word and then thinks until it is told to stop.
    const model: ChatModel = {
      provider: "openai",
      model: "slow-model",
      generative: true,
      contextTokens: 8_000,
      async *stream(request) {
        yield { type: "text", delta: "Thinking" };
        await new Promise<void>((_, reject) => {
          request.signal?.addEventListener("abort", () => {
            sawAbort();
            reject(request.signal!.reason);
          });
        });
      },
    };
    const shell = createServiceServer({
      service: "ai",
      logger: createLogger({ service: "ai", level: "silent" }),
      host: "127.0.0.1",
      port: 0,
      shutdownTimeoutMs: 1_000,
      readinessChecks: [],
    });
    requireServiceTokens(shell.app, {
      verifier: createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER }),
      audience: "devflow-ai",
    });
    registerAssistant(shell.app, {
      config,
      db: t.db,
      logger: createLogger({ service: "ai", level: "silent" }),
      retrieval: createRetrievalService(t.db, { embedder: createOfflineEmbedder() }),
      model,
    });
    const base = await shell.listen();
    try {
      const rae = await tokenFor(await acme.addMember("member", "Ray"));
      const headers = { authorization: `Bearer ${rae}`, "content-type": "application/json" };
      const { id } = (await (
        await fetch(`${base}/v1/assistant/conversations`, { method: "POST", headers, body: "{}" })
      ).json()) as { id: string };
      const controller = new AbortController();
      const response = await fetch(`${base}/v1/assistant/conversations/${id}/messages`, {
        method: "POST",
        headers,
        body: JSON.stringify({ content: "A long question" }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain("event: delta");
      controller.abort();
      await aborted;
      await expect
        .poll(() =>
          t.db.withTenant(acme.ctx, (tx) =>
            tx.aiActivity.count({ where: { model: "slow-model", errorCode: "cancelled" } }),
          ),
        )
        .toBe(1);
    } finally {
      await shell.close();
    }
  });
});
