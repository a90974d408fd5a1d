import type { AssistantStreamEvent } from "@devflow/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface EventStream {
  send(event: AssistantStreamEvent): void;
  end(): void;
  /** Aborted when the client goes away before the stream ends: the model call stops with it. */
  readonly signal: AbortSignal;
}

/** Sent while a model thinks, so proxies do not time the connection out. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Takes over the response as `text/event-stream`: one `event:`/`data:` frame per event. Headers
 * already set on the reply (request id, CORS) are carried over, since a hijacked reply sends
 * nothing by itself.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  const controller = new AbortController();
  let isEnded = false;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  raw.flushHeaders();
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  const onClose = () => {
    clearInterval(keepAlive);
    if (!isEnded) controller.abort(new Error("The client closed the connection"));
  };
  raw.on("close", onClose);
  request.raw.on("aborted", onClose);
  return {
    signal: controller.signal,
    send(event) {
      if (isEnded || raw.destroyed) return;
      raw.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    },
    end() {
      if (isEnded) return;
      isEnded = true;
      clearInterval(keepAlive);
      raw.end();
    },
  };
}
