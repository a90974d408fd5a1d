import type { Readable } from "node:stream";
import { AppError } from "@devflow/util-core";

/** What `put` stored: the key it was given, the byte count and the SHA-256 of exactly those bytes. */
export interface PutBlobResult {
  key: string;
  size: number;
  /** Lower-case hex SHA-256 of the stored bytes, computed while streaming (no second read). */
  sha256: string;
}

export interface PutBlobOptions {
  /** The MIME type stored with the blob and returned by `head`, e.g. `application/pdf`. */
  contentType: string;
  /**
   * Refuse bodies longer than this. A stream is cut off as soon as it passes the limit, so an
   * oversized upload costs at most `maxBytes` of transfer; nothing is left behind.
   */
  maxBytes?: number;
}

/** A stored blob's metadata, without its bytes. */
export interface BlobInfo {
  key: string;
  size: number;
  contentType: string;
}

/**
 * Bytes by key: uploaded files and anything else too large or too opaque for Postgres. Keys are
 * relative, slash-separated paths checked by `assertValidBlobKey`; callers choose them (typically
 * `<organizationId>/<uuid>`) and record them in the database. `put` replaces an existing blob.
 */
export interface BlobStore {
  /** Streams `body` in; readers see either the old blob or the complete new one, never part of it. */
  put(key: string, body: Readable | Buffer, options: PutBlobOptions): Promise<PutBlobResult>;
  /** Opens the blob for reading. Throws `BlobNotFoundError` before returning when it does not exist. */
  get(key: string): Promise<Readable>;
  /** The blob's metadata, or null when it does not exist. */
  head(key: string): Promise<BlobInfo | null>;
  /** Removes the blob; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
}

/** The blob does not exist (never stored, or deleted). */
export class BlobNotFoundError extends AppError {
  constructor(readonly key: string) {
    super("not_found", `Blob ${key} was not found`, { report: false });
    this.name = "BlobNotFoundError";
  }
}

/** The body passed `maxBytes`; the upload was aborted and nothing was stored. */
export class BlobTooLargeError extends AppError {
  constructor(
    readonly key: string,
    readonly maxBytes: number,
  ) {
    super("payload_too_large", `Blob ${key} is larger than the limit of ${maxBytes} bytes`, {
      report: false,
      details: { maxBytes },
    });
    this.name = "BlobTooLargeError";
  }
}

/** The key is not a safe relative path (see `assertValidBlobKey`). */
export class InvalidBlobKeyError extends AppError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super("validation_failed", `Blob key ${JSON.stringify(key)} is invalid: ${reason}`, { report: false });
    this.name = "InvalidBlobKeyError";
  }
}
