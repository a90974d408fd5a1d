// A loopback stand-in for the Google Cloud Storage JSON API, written from Google's API reference
// (https://cloud.google.com/storage/docs/json_api/v1/objects and .../json_api/v1/status-codes), not
// from a recording of real traffic. It implements exactly the calls @google-cloud/storage 7.x makes
// for BlobStore, found by logging the client's requests against a bare server:
//
//   POST   /upload/storage/v1/b/{bucket}/o?uploadType=multipart&name={name}   objects.insert, multipart/related
//   POST   /upload/storage/v1/b/{bucket}/o?uploadType=media&name={name}       objects.insert, raw body
//   GET    /storage/v1/b/{bucket}/o/{name}                                    objects.get (metadata)
//   GET    /storage/v1/b/{bucket}/o/{name}?alt=media                          objects.get (bytes, x-goog-hash)
//   DELETE /storage/v1/b/{bucket}/o/{name}                                    objects.delete (204)
//
// Errors use the documented JSON error body: { error: { code, message, errors: [{ domain, reason, message }] } }.
// Resumable uploads (uploadType=resumable) are refused: the store does not use them.
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGcsServerOptions {
  /** Buckets that exist; any other bucket answers 404 like GCS does. */
  buckets: string[];
}

/** One request as the fake received it. */
export interface FakeGcsRequest {
  method: string;
  /** Path without the query string, still percent-encoded as sent. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface FakeGcsObject {
  bucket: string;
  name: string;
  contentType: string;
  data: Buffer;
  generation: number;
  updated: Date;
}

export interface FakeGcsServer {
  /** http://127.0.0.1:<port>: pass as the client's `apiEndpoint`. */
  url: string;
  /** Every completed request, oldest first. */
  requests: FakeGcsRequest[];
  /** Requests whose body the client abandoned before the end (an aborted upload stores nothing). */
  abortedRequests: FakeGcsRequest[];
  /** The stored object, or undefined. */
  object(bucket: string, name: string): FakeGcsObject | undefined;
  /** Names of the objects stored in `bucket`, sorted. */
  objectNames(bucket: string): string[];
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | object;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeGcsServer({ buckets }: FakeGcsServerOptions): Promise<FakeGcsServer> {
  const store = new Map<string, Map<string, FakeGcsObject>>(buckets.map((bucket) => [bucket, new Map()]));
  const requests: FakeGcsRequest[] = [];
  const abortedRequests: FakeGcsRequest[] = [];
  let nextGeneration = 1_700_000_000_000_000;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: FakeGcsRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("close", () => {
      if (!req.complete) abortedRequests.push(request);
    });
    req.on("end", () => {
      requests.push(request);
      let reply: Reply;
      try {
        reply = route(request, Buffer.concat(chunks));
      } catch (error) {
        reply = errorReply(400, "invalid", error instanceof Error ? error.message : String(error));
      }
      send(res, reply);
    });
  });

  function route(request: FakeGcsRequest, body: Buffer): Reply {
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(request.path);
    if (upload && request.method === "POST") return insertObject(decodeURIComponent(upload[1]!), request, body);
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(request.path);
    if (object) {
      const bucket = decodeURIComponent(object[1]!);
      const name = decodeURIComponent(object[2]!);
      if (request.method === "GET") return getObject(bucket, name, request.query.get("alt") === "media");
      if (request.method === "DELETE") return deleteObject(bucket, name);
    }
    return errorReply(404, "notFound", `The fake does not implement ${request.method} ${request.path}`);
  }

  function insertObject(bucket: string, request: FakeGcsRequest, body: Buffer): Reply {
    const objects = store.get(bucket);
    if (!objects) return noSuchBucket();
    const uploadType = request.query.get("uploadType");
    let metadata: { name?: string; contentType?: string } = {};
    let data: Buffer;
    let mediaType: string | undefined;
    if (uploadType === "multipart") {
      // Two parts: the object resource as JSON, then the media (RFC 2387 multipart/related).
      const [metaPart, mediaPart] = parseMultipartRelated(body, request.headers["content-type"]);
      metadata = JSON.parse(metaPart!.content.toString("utf8")) as typeof metadata;
      data = mediaPart!.content;
      mediaType = mediaPart!.headers["content-type"];
    } else if (uploadType === "media") {
      data = body;
      mediaType = request.headers["content-type"];
    } else {
      return errorReply(400, "invalid", `uploadType=${uploadType ?? "(none)"} is not implemented by the fake`);
    }
    const name = request.query.get("name") ?? metadata.name;
    if (!name) return errorReply(400, "required", "Required parameter: name");
    const stored: FakeGcsObject = {
      bucket,
      name,
      // The resource's contentType wins over the media part's header, as documented for objects.insert.
      contentType: metadata.contentType ?? mediaType ?? "application/octet-stream",
      data,
      generation: nextGeneration++,
      updated: new Date(),
    };
    objects.set(name, stored);
    return { status: 200, body: resource(stored) };
  }

  function getObject(bucket: string, name: string, media: boolean): Reply {
    const objects = store.get(bucket);
    if (!objects) return noSuchBucket();
    const object = objects.get(name);
    if (!object) return noSuchObject(bucket, name);
    if (!media) return { status: 200, body: resource(object) };
    const { crc32c, md5Hash } = hashes(object.data);
    return {
      status: 200,
      headers: {
        "content-type": object.contentType,
        "x-goog-hash": `crc32c=${crc32c},md5=${md5Hash}`,
        "x-goog-generation": String(object.generation),
        "x-goog-metageneration": "1",
        "x-goog-stored-content-encoding": "identity",
        "x-goog-stored-content-length": String(object.data.length),
        etag: etag(object),
      },
      body: object.data,
    };
  }

  function deleteObject(bucket: string, name: string): Reply {
    const objects = store.get(bucket);
    if (!objects) return noSuchBucket();
    if (!objects.delete(name)) return noSuchObject(bucket, name);
    return { status: 204 };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    abortedRequests,
    object: (bucket, name) => store.get(bucket)?.get(name),
    objectNames: (bucket) => [...(store.get(bucket)?.keys() ?? [])].sort(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The documented `storage#object` resource (the fields the client and our store read, plus identity). */
function resource(object: FakeGcsObject): object {
  const { crc32c, md5Hash } = hashes(object.data);
  const id = `${object.bucket}/${object.name}/${object.generation}`;
  return {
    kind: "storage#object",
    id,
    name: object.name,
    bucket: object.bucket,
    generation: String(object.generation),
    metageneration: "1",
    contentType: object.contentType,
    storageClass: "STANDARD",
    size: String(object.data.length),
    md5Hash,
    crc32c,
    etag: etag(object),
    timeCreated: object.updated.toISOString(),
    updated: object.updated.toISOString(),
  };
}

function etag(object: FakeGcsObject): string {
  return Buffer.from(String(object.generation)).toString("base64");
}

/** Base64 of the MD5 digest and of the big-endian CRC32C, the encodings GCS documents for both. */
function hashes(data: Buffer): { crc32c: string; md5Hash: string } {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(data));
  return { crc32c: crc.toString("base64"), md5Hash: createHash("md5").update(data).digest("base64") };
}

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32C (Castagnoli), written here rather than borrowed from the client so the client's check is real. */
export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function parseMultipartRelated(
  body: Buffer,
  contentType: string | undefined,
): { headers: Record<string, string>; content: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType ?? "")?.[1];
  if (!contentType?.startsWith("multipart/related") || !boundary) {
    throw new Error(`expected multipart/related with a boundary, got ${contentType ?? "no content type"}`);
  }
  const delimiter = `--${boundary}`;
  const parts: { headers: Record<string, string>; content: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1 && body.toString("latin1", at + delimiter.length, at + delimiter.length + 2) !== "--") {
    const headerStart = at + delimiter.length + 2;
    const headerEnd = body.indexOf("\r\n\r\n", headerStart);
    const next = body.indexOf(`\r\n${delimiter}`, headerEnd);
    if (headerEnd === -1 || next === -1) throw new Error("malformed multipart body");
    const headers = Object.fromEntries(
      body
        .toString("latin1", headerStart, headerEnd)
        .split("\r\n")
        .map((line) => [
          line.slice(0, line.indexOf(":")).trim().toLowerCase(),
          line.slice(line.indexOf(":") + 1).trim(),
        ]),
    );
    parts.push({ headers, content: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  if (parts.length !== 2) throw new Error(`expected 2 parts (metadata, media), got ${parts.length}`);
  return parts;
}

function errorReply(status: number, reason: string, message: string): Reply {
  return { status, body: { error: { code: status, message, errors: [{ message, domain: "global", reason }] } } };
}

function noSuchBucket(): Reply {
  return errorReply(404, "notFound", "The specified bucket does not exist.");
}

function noSuchObject(bucket: string, name: string): Reply {
  return errorReply(404, "notFound", `No such object: ${bucket}/${name}`);
}

function send(res: ServerResponse, reply: Reply): void {
  const isJson = reply.body !== undefined && !Buffer.isBuffer(reply.body);
  const payload = isJson ? Buffer.from(JSON.stringify(reply.body)) : (reply.body as Buffer | undefined);
  res.writeHead(reply.status, {
    ...(isJson ? { "content-type": "application/json; charset=UTF-8" } : {}),
    ...(payload ? { "content-length": String(payload.length) } : {}),
    ...reply.headers,
  });
  res.end(payload);
}
