import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a fake provider received it (JSON body parsed). */
export interface LoopbackRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface LoopbackReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type LoopbackHandler = (request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>;

export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Every request received, oldest first. */
  requests: LoopbackRequest[];
  /** Answer the next `count` requests with `reply` instead of the handler (provider error shapes). */
  failNext(reply: LoopbackReply, count?: number): void;
  /** Hold the next `count` requests for `ms` before answering, to trip client timeouts. */
  stallNext(ms: number, count?: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * A JSON-over-HTTP server on 127.0.0.1 with an ephemeral port, for fakes of hosted APIs this machine
 * cannot reach. The real SDKs are pointed at `url`, so what is tested is the SDK's actual wire traffic.
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: LoopbackRequest[] = [];
  const failures: LoopbackReply[] = [];
  const stalls: number[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = undefined;
        let reply: LoopbackReply | undefined;
        if (size > MAX_BODY_BYTES) reply = { status: 413, body: { error: "request body too large" } };
        else if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            reply = { status: 400, body: { error: "request body is not JSON" } };
          }
        }
        const request: LoopbackRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        requests.push(request);
        const stall = stalls.shift();
        if (stall !== undefined) await new Promise((resolve) => setTimeout(resolve, stall));
        try {
          reply ??= failures.shift() ?? (await handler(request));
        } catch (error) {
          reply = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
        }
        // The client may have given up (timeout) while the reply was held back.
        if (res.destroyed || req.socket.destroyed) return;
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(reply, count = 1) {
      for (let i = 0; i < count; i++) failures.push(reply);
    },
    stallNext(ms, count = 1) {
      for (let i = 0; i < count; i++) stalls.push(ms);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A header's single value (first one if repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A deterministic vector for `text` of any length: words hashed into signed buckets, then scaled
 * by `scale` (so clients must normalise). Texts sharing words point in similar directions, which
 * is all a fake embedding model needs to make retrieval tests meaningful.
 */
export function fakeEmbedding(text: string, dimensions: number, scale = 3): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
    hash >>>= 0;
    vector[hash % dimensions]! += hash & 0x80000000 ? -scale : scale;
  }
  return vector;
}
