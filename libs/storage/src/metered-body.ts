import { createHash } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { BlobTooLargeError } from "./blob-store";

/** A pass-through that counts and hashes the bytes, and fails once they pass `maxBytes`. */
export class BodyMeter extends Transform {
  #size = 0;
  readonly #hash = createHash("sha256");

  constructor(
    private readonly key: string,
    private readonly maxBytes: number | undefined,
  ) {
    super();
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  /** Hex SHA-256 of everything that passed; call once, after the stream finished. */
  sha256(): string {
    return this.#hash.digest("hex");
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    this.#size += bytes.length;
    if (this.maxBytes !== undefined && this.#size > this.maxBytes) {
      callback(new BlobTooLargeError(this.key, this.maxBytes));
      return;
    }
    this.#hash.update(bytes);
    callback(null, bytes);
  }
}

/**
 * Puts the adapters' shared upload rules in one place: the body becomes a stream (a Buffer over
 * the limit is refused before any I/O), and the returned meter sits between it and the sink so
 * that an oversized stream errors mid-flight and `pipeline` tears the sink down with it.
 */
export function meterBody(
  key: string,
  body: Readable | Buffer,
  maxBytes: number | undefined,
): { source: Readable; meter: BodyMeter } {
  if (maxBytes !== undefined && Buffer.isBuffer(body) && body.length > maxBytes) {
    throw new BlobTooLargeError(key, maxBytes);
  }
  // Readable.from(buffer) would iterate it byte by byte; wrap it so it is one chunk.
  const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
  return { source, meter: new BodyMeter(key, maxBytes) };
}
