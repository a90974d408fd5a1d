import {
  MAX_DOCUMENT_LENGTH,
  normalize,
  requiredLength,
  resultingLength,
  type TextOp,
  type TextOpComponent,
} from "./text-op";

/**
 * The default cap on `opSize` (inserted code units + components). A Socket.io frame is capped at
 * 1 MB by default, and 256 Ki code units stay under it even when every character needs 3 bytes.
 */
export const MAX_OP_SIZE_DEFAULT = 262_144;

export const INVALID_OP_REASONS = [
  "not_an_array",
  "bad_component",
  "bad_skip",
  "bad_delete",
  "empty_insert",
  "lone_surrogate",
  "too_large",
  "longer_than_document",
  "splits_surrogate_pair",
  "document_too_large",
] as const;
export type InvalidOpReason = (typeof INVALID_OP_REASONS)[number];

/**
 * An op the server must refuse. `code` is the contracts `ErrorCode` the socket edge sends back;
 * `componentIndex` points at the offending component when there is one.
 */
export class InvalidOpError extends Error {
  override readonly name = "InvalidOpError";
  readonly code: "validation_failed" | "payload_too_large";

  constructor(
    readonly reason: InvalidOpReason,
    message: string,
    readonly componentIndex?: number,
  ) {
    super(message);
    this.code = reason === "too_large" || reason === "document_too_large" ? "payload_too_large" : "validation_failed";
  }
}

export type ParseOpResult = { ok: true; op: TextOp } | { ok: false; error: InvalidOpError };

export interface ParseOpOptions {
  /** Largest accepted `opSize`. Defaults to `MAX_OP_SIZE_DEFAULT`. */
  maxSize?: number;
  /**
   * The document the op will be applied to. When given, the op is also checked with
   * `checkOpFits`; leave it out at the edge, where the op still has to be rebased to head.
   */
  document?: string;
  /** Longest document allowed after the op. Defaults to `MAX_DOCUMENT_LENGTH`; only used with `document`. */
  maxDocumentLength?: number;
}

/**
 * Validates an op that arrived from outside (a socket payload, a stored row) and returns it
 * normalized. Skips and deletes must be positive safe integers, inserts non-empty strings without
 * lone surrogates, deletes exactly `{ d }`. Adjacent same-kind components and a trailing skip are
 * accepted and merged away. Never throws.
 */
export function parseOp(input: unknown, options: ParseOpOptions = {}): ParseOpResult {
  const maxSize = options.maxSize ?? MAX_OP_SIZE_DEFAULT;
  if (!Array.isArray(input)) return fail("not_an_array", "An op must be an array of components");
  // Checked before walking the array so a huge payload costs nothing to refuse.
  if (input.length > maxSize) return fail("too_large", `An op may have at most ${maxSize} components`);

  let size = input.length;
  for (let i = 0; i < input.length; i++) {
    const error = checkComponent(input[i], i);
    if (error) return { ok: false, error };
    const c = input[i] as TextOpComponent;
    if (typeof c === "string") size += c.length;
    if (size > maxSize) return fail("too_large", `The op is larger than ${maxSize} (inserted characters + components)`);
  }

  const op = normalize(input as TextOp);
  if (options.document !== undefined) {
    const error = checkOpFits(options.document, op, options);
    if (error) return { ok: false, error };
  }
  return { ok: true, op };
}

/**
 * Checks a well-formed op against the text it is about to be applied to: it must not reach past
 * the end, must not cut a surrogate pair in half (ot-text would, it only counts code units), and
 * must not grow the document past `maxDocumentLength`. Returns the error, or null when it fits.
 */
export function checkOpFits(
  text: string,
  op: TextOp,
  options: { maxDocumentLength?: number } = {},
): InvalidOpError | null {
  const needed = requiredLength(op);
  if (needed > text.length) {
    return new InvalidOpError(
      "longer_than_document",
      `The op covers ${needed} characters but the document has ${text.length}`,
    );
  }
  let offset = 0;
  for (let i = 0; i < op.length; i++) {
    const c = op[i]!;
    if (splitsSurrogatePair(text, offset)) {
      return new InvalidOpError("splits_surrogate_pair", `Offset ${offset} falls inside a surrogate pair`, i);
    }
    if (typeof c === "number") offset += c;
    else if (typeof c === "object") offset += c.d;
  }
  if (op.length > 0 && splitsSurrogatePair(text, offset)) {
    return new InvalidOpError("splits_surrogate_pair", `Offset ${offset} falls inside a surrogate pair`);
  }
  const maxLength = options.maxDocumentLength ?? MAX_DOCUMENT_LENGTH;
  const length = resultingLength(text.length, op);
  if (length > maxLength) {
    return new InvalidOpError(
      "document_too_large",
      `The document would grow to ${length} characters; the limit is ${maxLength}`,
    );
  }
  return null;
}

/** True when `offset` sits between the high and low half of a surrogate pair in `text`. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  return isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset));
}

function checkComponent(c: unknown, i: number): InvalidOpError | null {
  switch (typeof c) {
    case "number":
      return isCount(c) ? null : new InvalidOpError("bad_skip", `Skip at ${i} must be a positive integer`, i);
    case "string":
      if (c.length === 0) return new InvalidOpError("empty_insert", `Insert at ${i} is empty`, i);
      return LONE_SURROGATE.test(c)
        ? new InvalidOpError("lone_surrogate", `Insert at ${i} contains half of a surrogate pair`, i)
        : null;
    case "object": {
      if (c === null || Array.isArray(c)) break;
      const keys = Object.keys(c);
      if (keys.length !== 1 || keys[0] !== "d") break;
      return isCount((c as { d: unknown }).d)
        ? null
        : new InvalidOpError("bad_delete", `Delete at ${i} must be { d: positive integer }`, i);
    }
  }
  return new InvalidOpError("bad_component", `Component ${i} is not a skip, an insert or a delete`, i);
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0;
}

// With the `u` flag a well-formed pair is one code point, so this only matches unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function fail(reason: InvalidOpReason, message: string): ParseOpResult {
  return { ok: false, error: new InvalidOpError(reason, message) };
}
