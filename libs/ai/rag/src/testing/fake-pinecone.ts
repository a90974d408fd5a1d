import { headerValue, startLoopbackServer, type LoopbackReply, type LoopbackServer } from "./loopback-server";
import { InvalidFilterError, isValidMetadata, matchesFilter, type Metadata } from "./pinecone-metadata-filter";

export interface FakePineconeOptions {
  /** The key the index accepts in the `Api-Key` header. */
  apiKey: string;
  /** The index's dimension (default 384); vectors of another length are rejected like the real service does. */
  dimension?: number;
}

export interface FakePineconeRecord {
  id: string;
  values: number[];
  metadata: Metadata;
}

export interface FakePinecone extends LoopbackServer {
  /** What to pass as the store's `indexHost` (http://127.0.0.1:<port>). */
  indexHost: string;
  /** The records of one namespace, by id (empty when it does not exist). */
  records(namespace: string): FakePineconeRecord[];
  /** Namespaces holding at least one record. */
  namespaces(): string[];
}

// Documented data-plane operation limits (https://docs.pinecone.io/reference/api/database-limits).
const MAX_UPSERT_RECORDS = 1_000;
const MAX_UPSERT_BYTES = 2 * 1024 * 1024;
const MAX_DELETE_IDS = 1_000;
const MAX_TOP_K = 10_000;
const MAX_TOP_K_WITH_DATA = 1_000;
const MAX_METADATA_BYTES = 40 * 1024;
const MAX_ID_LENGTH = 512;

/**
 * A loopback stand-in for one serverless Pinecone index (metric cosine), speaking the documented
 * data-plane REST API the official SDK calls: `POST /vectors/upsert`, `POST /query`,
 * `POST /vectors/delete` (ids, filter or deleteAll) and `POST /describe_index_stats`, authenticated
 * by `Api-Key` and versioned by `X-Pinecone-Api-Version`. It keeps namespaces apart, evaluates
 * metadata filters before ranking (exact cosine over the matching records, like Pinecone's
 * single-stage filtering) and enforces the documented limits, so tests against it can prove what
 * a query can and cannot return. Errors use the data plane's `{ code, message, details }` shape.
 */
export async function startFakePinecone(options: FakePineconeOptions): Promise<FakePinecone> {
  const dimension = options.dimension ?? 384;
  const store = new Map<string, Map<string, FakePineconeRecord>>();
  const namespace = (name: string) => {
    let records = store.get(name);
    if (!records) store.set(name, (records = new Map()));
    return records;
  };

  const server = await startLoopbackServer((request) => {
    if (headerValue(request.headers, "api-key") !== options.apiKey) {
      return { status: 401, body: { error: { code: "UNAUTHENTICATED", message: "Invalid API Key" }, status: 401 } };
    }
    if (!headerValue(request.headers, "x-pinecone-api-version")) {
      return badRequest("Missing X-Pinecone-Api-Version header");
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ns = typeof body.namespace === "string" ? body.namespace : "";
    try {
      if (request.method === "POST" && request.path === "/vectors/upsert") return upsert(namespace(ns), body);
      if (request.method === "POST" && request.path === "/query") return query(store.get(ns), ns, body);
      if (request.method === "POST" && request.path === "/vectors/delete") return remove(store.get(ns), body);
      if (request.method === "POST" && request.path === "/describe_index_stats") return stats();
    } catch (error) {
      if (error instanceof InvalidFilterError) return badRequest(`Invalid filter: ${error.message}`);
      throw error;
    }
    return { status: 404, body: { code: 5, message: `Not found: ${request.method} ${request.path}`, details: [] } };
  });

  function upsert(records: Map<string, FakePineconeRecord>, body: Record<string, unknown>): LoopbackReply {
    const vectors = body.vectors;
    if (!Array.isArray(vectors) || vectors.length === 0) return badRequest("vectors: must contain at least 1 record");
    if (vectors.length > MAX_UPSERT_RECORDS)
      return badRequest(`vectors: at most ${MAX_UPSERT_RECORDS} records per upsert`);
    if (JSON.stringify(body).length > MAX_UPSERT_BYTES) return badRequest("Request size exceeds the 2MB limit");
    const accepted: FakePineconeRecord[] = [];
    for (const v of vectors as Record<string, unknown>[]) {
      if (typeof v.id !== "string" || v.id === "" || v.id.length > MAX_ID_LENGTH)
        return badRequest("Invalid vector id");
      const values = v.values;
      if (!Array.isArray(values) || values.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
        return badRequest(`Vector ${v.id}: values must be finite numbers`);
      }
      if (values.length !== dimension) {
        return badRequest(`Vector dimension ${values.length} does not match the dimension of the index ${dimension}`);
      }
      const metadata = v.metadata ?? {};
      if (!isValidMetadata(metadata))
        return badRequest(`Vector ${v.id}: metadata values must be string, number, boolean or list of strings`);
      if (JSON.stringify(metadata).length > MAX_METADATA_BYTES)
        return badRequest(`Vector ${v.id}: metadata exceeds 40KB`);
      accepted.push({ id: v.id, values: values as number[], metadata });
    }
    for (const record of accepted) records.set(record.id, record);
    return { status: 200, body: { upsertedCount: accepted.length } };
  }

  function query(
    records: Map<string, FakePineconeRecord> | undefined,
    ns: string,
    body: Record<string, unknown>,
  ): LoopbackReply {
    const topK = body.topK;
    if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
      return badRequest(`topK must be an integer from 1 to ${MAX_TOP_K}`);
    }
    if ((body.includeMetadata || body.includeValues) && topK > MAX_TOP_K_WITH_DATA) {
      return badRequest(`topK must be at most ${MAX_TOP_K_WITH_DATA} when including metadata or values`);
    }
    const vector = body.vector;
    if (!Array.isArray(vector) || vector.length !== dimension) {
      return badRequest(
        `Query vector dimension ${Array.isArray(vector) ? vector.length : 0} does not match the dimension of the index ${dimension}`,
      );
    }
    const filter = body.filter;
    // Filter first, then rank what is left: a record the filter excludes can never take a place.
    const candidates = [...(records?.values() ?? [])].filter(
      (r) => filter === undefined || matchesFilter(r.metadata, filter),
    );
    const matches = candidates
      .map((r) => ({ record: r, score: cosine(vector as number[], r.values) }))
      .sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id))
      .slice(0, topK)
      .map(({ record, score }) => ({
        id: record.id,
        score,
        values: body.includeValues ? record.values : [],
        ...(body.includeMetadata ? { metadata: record.metadata } : {}),
      }));
    return {
      status: 200,
      body: {
        results: [],
        matches,
        namespace: ns,
        usage: { readUnits: Math.max(1, Math.ceil(candidates.length / 1000)) },
      },
    };
  }

  function remove(records: Map<string, FakePineconeRecord> | undefined, body: Record<string, unknown>): LoopbackReply {
    const modes = [body.ids !== undefined, body.deleteAll === true, body.filter !== undefined].filter(Boolean).length;
    if (modes !== 1) return badRequest("Exactly one of ids, deleteAll or filter must be given");
    if (body.deleteAll === true) {
      records?.clear();
      return { status: 200, body: {} };
    }
    if (body.ids !== undefined) {
      const ids = body.ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_DELETE_IDS) {
        return badRequest(`ids: between 1 and ${MAX_DELETE_IDS} ids per delete`);
      }
      for (const id of ids) records?.delete(String(id));
      return { status: 200, body: {} };
    }
    // Validated before anything is deleted (and even when the namespace is empty), as the service does.
    matchesFilter({}, body.filter);
    for (const record of [...(records?.values() ?? [])]) {
      if (matchesFilter(record.metadata, body.filter)) records!.delete(record.id);
    }
    return { status: 200, body: {} };
  }

  function stats(): LoopbackReply {
    const namespaces = Object.fromEntries(
      [...store.entries()].filter(([, r]) => r.size > 0).map(([name, r]) => [name, { vectorCount: r.size }]),
    );
    const total = Object.values(namespaces).reduce((sum, n) => sum + n.vectorCount, 0);
    return {
      status: 200,
      body: { namespaces, dimension, indexFullness: 0, totalVectorCount: total, metric: "cosine", vectorType: "dense" },
    };
  }

  return Object.assign(server, {
    indexHost: server.url,
    records: (name: string) => [...(store.get(name)?.values() ?? [])],
    namespaces: () => [...store.entries()].filter(([, r]) => r.size > 0).map(([name]) => name),
  });
}

function badRequest(message: string): LoopbackReply {
  return { status: 400, body: { code: 3, message, details: [] } };
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
