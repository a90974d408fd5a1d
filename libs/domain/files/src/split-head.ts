import { Readable } from "node:stream";

/**
 * Reads the first `size` bytes of a stream (fewer if it ends first) and returns them with a stream
 * of the whole body, head included: the type can be sniffed, and an upload refused, before the
 * rest of a large body is read.
 */
export async function splitHead(body: Readable, size: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator: AsyncIterator<Buffer | string> = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const start = Buffer.concat(chunks);
  async function* whole() {
    if (start.length > 0) yield start;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    }
  }
  return { head: start.subarray(0, size), body: Readable.from(whole(), { objectMode: false }) };
}
