import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received, as the SDK sent it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions` or `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed. */
  body: Record<string, unknown>;
}

/** What the fake answers to the next request. */
export type ScriptedReply =
  /** A 200 `text/event-stream` written one frame at a time (`frames` are complete SSE frames). */
  | { type: "sse"; frames: string[]; contentType?: string; splitFrames?: boolean; hangAfterFrames?: boolean }
  /** A JSON reply, typically an error body with its status and headers. */
  | { type: "json"; status: number; body: unknown; headers?: Record<string, string> }
  /** Never answer (until the client gives up or the server closes): a provider that hangs. */
  | { type: "hang" };

/** Checks a request before a reply is taken; returns an error reply to send instead, or undefined. */
export type RequestCheck = (request: RecordedRequest) => ScriptedReply | undefined;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`: no path, no trailing slash. */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order; a request with nothing queued gets a 500 naming the problem. */
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 (port 0) that records requests and answers from a queue. Frames are
 * written with a turn of the event loop between them, so the client really receives the stream in
 * pieces; `splitFrames` cuts each frame in two writes to exercise the SDK's SSE buffering.
 */
export async function startLoopbackServer(check: RequestCheck): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        body = { unparsable: text };
      }
      const request: RecordedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body,
      };
      requests.push(request);
      const reply = check(request) ??
        queue.shift() ?? {
          type: "json",
          status: 500,
          body: { error: { message: "fake provider: no reply queued for this request" } },
        };
      open.add(res);
      res.on("close", () => open.delete(res));
      void send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function send(res: ServerResponse, reply: ScriptedReply): Promise<void> {
  if (reply.type === "hang") return;
  if (reply.type === "json") {
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  res.writeHead(200, {
    "content-type": reply.contentType ?? "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  for (const frame of reply.frames) {
    if (res.destroyed) return;
    if (reply.splitFrames && frame.length > 1) {
      const middle = Math.floor(frame.length / 2);
      res.write(frame.slice(0, middle));
      await nextTurn();
      res.write(frame.slice(middle));
    } else {
      res.write(frame);
    }
    await nextTurn();
  }
  if (!reply.hangAfterFrames) res.end();
}

/* A macrotask, not a microtask: the socket flushes between frames, so each arrives as its own chunk. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
