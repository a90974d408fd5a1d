import { describe, expect, it } from "vitest";
import { readServerSentEvents } from "./sse-reader";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const events = [];
  for await (const event of readServerSentEvents(streamOf(chunks))) events.push(event);
  return events;
}

describe("readServerSentEvents", () => {
  it("reads events split across chunks anywhere, skipping keep-alive comments", async () => {
    const events = await collect([
      "event: del",
      'ta\ndata: {"text":"Hel',
      'lo"}\n\n: keep-alive\n\nevent: done\r\ndata: {}\r\n\r\n',
    ]);
    expect(events).toEqual([
      { event: "delta", data: '{"text":"Hello"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("joins multi-line data, names unnamed events message, and keeps a last frame without its blank line", async () => {
    expect(await collect(["data: a\ndata: b\n\nevent: x\ndata:c"])).toEqual([
      { event: "message", data: "a\nb" },
      { event: "x", data: "c" },
    ]);
  });
});
