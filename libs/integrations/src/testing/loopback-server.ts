import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a fake service received it. */
export interface LoopbackRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed; `application/x-www-form-urlencoded` bodies as a plain object; otherwise the text. */
  body: unknown;
}

export interface LoopbackReply {
  status: number;
  /** Serialised as JSON unless it is a string (sent as text/plain, as Slack's response_url does). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type LoopbackHandler = (request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>;

export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Every request received, oldest first. */
  requests: LoopbackRequest[];
  /** Answer the next `count` requests with `reply` instead of the handler (outage and error shapes). */
  failNext(reply: LoopbackReply, count?: number): void;
  /** Never answer the next `count` requests (until `close`), to trip client timeouts. */
  hangNext(count?: number): void;
  /** Resolves when the client closes a request held by `hangNext`: proof that its timeout aborted the request. */
  clientGaveUp(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * An HTTP server on 127.0.0.1 with an ephemeral port, for fakes of hosted services this machine cannot reach.
 * The real SDKs are pointed at `url`, so what is tested is each SDK's actual wire traffic.
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: LoopbackRequest[] = [];
  const failures: LoopbackReply[] = [];
  let hangs = 0;
  let gaveUp = 0;
  const gaveUpWaiters: (() => void)[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const text = Buffer.concat(chunks).toString("utf8");
        const request: LoopbackRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: parseBody(text, req.headers["content-type"]),
        };
        requests.push(request);
        if (hangs > 0) {
          hangs -= 1;
          res.on("close", () => {
            const waiter = gaveUpWaiters.shift();
            if (waiter) waiter();
            else gaveUp += 1;
          });
          return;
        }
        let reply: LoopbackReply;
        if (text.length > MAX_BODY_BYTES) reply = { status: 413, body: { message: "request body too large" } };
        else {
          try {
            reply = failures.shift() ?? (await handler(request));
          } catch (error) {
            reply = { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
          }
        }
        if (res.destroyed) return;
        const isText = typeof reply.body === "string";
        res.writeHead(reply.status, {
          "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
          ...reply.headers,
        });
        res.end(reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body));
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
    hangNext(count = 1) {
      hangs += count;
    },
    clientGaveUp() {
      return new Promise<void>((resolve) => {
        if (gaveUp > 0) {
          gaveUp -= 1;
          resolve();
        } else gaveUpWaiters.push(resolve);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return undefined;
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A header's single value (the first, if repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
