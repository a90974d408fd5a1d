import { Pinecone } from "@pinecone-database/pinecone";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakePinecone, type FakePinecone } from "../testing/fake-pinecone";
import { createPineconeStore, pineconeNamespace } from "./pinecone-store";

const API_KEY = "pcsk_unit_0123456789abcdef";
const ORG = "11111111-1111-4111-8111-111111111111";
const DOC = "22222222-2222-4222-8222-222222222222";
let pinecone: FakePinecone;
let sdk: ReturnType<Pinecone["index"]>;

const unit = (dimension: number, hot: number) => Array.from({ length: dimension }, (_, i) => (i === hot ? 1 : 0.01));

beforeAll(async () => {
  pinecone = await startFakePinecone({ apiKey: API_KEY, dimension: 4 });
  sdk = new Pinecone({ apiKey: API_KEY, maxRetries: 0 }).index({ host: pinecone.indexHost });
});
afterAll(async () => {
  await pinecone?.close();
});
beforeEach(() => {
  pinecone.requests.length = 0;
});

describe("fake Pinecone index, driven by the official SDK", () => {
  it("filters before it ranks: topK 1 returns the best match among the allowed records", async () => {
    await sdk.upsert({
      namespace: "ns-a",
      records: [
        { id: "best-but-hidden", values: unit(4, 0), metadata: { projectId: "secret" } },
        { id: "visible", values: unit(4, 1), metadata: { projectId: "open" } },
      ],
    });
    const result = await sdk.query({
      namespace: "ns-a",
      vector: unit(4, 0),
      topK: 1,
      filter: { $and: [{ projectId: { $in: ["open"] } }] },
    });
    expect(result.matches.map((m) => m.id)).toEqual(["visible"]);
    expect(result.matches[0]!.metadata).toBeUndefined();
    // Same vectors in another namespace are a different world.
    expect((await sdk.query({ namespace: "ns-b", vector: unit(4, 0), topK: 5 })).matches).toEqual([]);
  });

  it("rejects what the service rejects: wrong dimension, unknown operator, wrong key", async () => {
    await expect(sdk.upsert({ namespace: "ns-a", records: [{ id: "x", values: [1, 2] }] })).rejects.toThrow(
      /dimension 2 does not match the dimension of the index 4/,
    );
    await expect(
      sdk.query({ namespace: "ns-a", vector: unit(4, 0), topK: 1, filter: { projectId: { $regex: "o" } } }),
    ).rejects.toThrow(/unsupported operator/);
    const wrong = new Pinecone({ apiKey: "pcsk_wrong", maxRetries: 0 }).index({ host: pinecone.indexHost });
    await expect(wrong.query({ namespace: "ns-a", vector: unit(4, 0), topK: 1 })).rejects.toThrow();
  });
});

describe("Pinecone store outside a transaction", () => {
  it("removes one source's vectors by metadata filter in the organization's namespace", async () => {
    const namespace = pineconeNamespace(ORG);
    await sdk.upsert({
      namespace,
      records: [
        { id: "c1", values: unit(4, 0), metadata: { sourceType: "document", sourceId: DOC } },
        { id: "c2", values: unit(4, 1), metadata: { sourceType: "document", sourceId: "other" } },
      ],
    });
    pinecone.requests.length = 0;
    const store = createPineconeStore({ apiKey: API_KEY, indexHost: pinecone.indexHost, dimension: 4, maxRetries: 0 });
    await store.removeSource({ organizationId: ORG, sourceType: "document", sourceId: DOC });
    expect(pinecone.requests[0]).toMatchObject({
      path: "/vectors/delete",
      body: { namespace, filter: { $and: [{ sourceType: { $eq: "document" } }, { sourceId: { $eq: DOC } }] } },
    });
    expect(pinecone.records(namespace).map((r) => r.id)).toEqual(["c2"]);

    await store.removeOrganization(ORG);
    expect(pinecone.requests[1]).toMatchObject({ path: "/vectors/delete", body: { namespace, deleteAll: true } });
    expect(pinecone.records(namespace)).toEqual([]);
  });

  it("maps 429 with Retry-After to ai_rate_limited and a 503 to a retryable ai_provider_error", async () => {
    const store = createPineconeStore({ apiKey: API_KEY, indexHost: pinecone.indexHost, dimension: 4, maxRetries: 0 });
    pinecone.failNext({
      status: 429,
      headers: { "retry-after": "12" },
      body: { code: 8, message: "Too many requests", details: [] },
    });
    await expect(store.removeOrganization(ORG)).rejects.toMatchObject({
      code: "ai_rate_limited",
      details: { status: 429, retryAfterSeconds: 12 },
    });
    pinecone.failNext({ status: 503, body: { code: 14, message: "unavailable", details: [] } });
    await expect(store.removeOrganization(ORG)).rejects.toMatchObject({ code: "ai_provider_error", retryable: true });
  });

  it("retries a 5xx when retries are allowed", async () => {
    const store = createPineconeStore({ apiKey: API_KEY, indexHost: pinecone.indexHost, dimension: 4, maxRetries: 1 });
    pinecone.failNext({ status: 500, body: { code: 13, message: "internal", details: [] } });
    await store.removeOrganization(ORG);
    expect(pinecone.requests).toHaveLength(2);
  });

  it("needs a key and an index host", () => {
    expect(() => createPineconeStore({ apiKey: "", indexHost: pinecone.indexHost })).toThrow(
      expect.objectContaining({ code: "ai_not_configured" }),
    );
    expect(() => createPineconeStore({ apiKey: API_KEY, indexHost: " " })).toThrow(/index host/);
  });
});
