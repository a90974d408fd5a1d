import { AppError } from "./app-error";

/**
 * Keyset cursors: the sort key of the last row of a page, encoded so clients treat it as opaque.
 * Decoding returns null for anything malformed so callers can answer `validation_failed`.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): (string | number)[] | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === "string" || typeof p === "number")) return null;
    return parts;
  } catch {
    return null;
  }
}

/** What each position of a cursor must hold; checked so a forged cursor never reaches a query. */
export type CursorPart = "text" | "timestamp" | "uuid";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function partIsValid(kind: CursorPart, value: string): boolean {
  switch (kind) {
    case "text":
      return value.length <= 500;
    case "uuid":
      return UUID.test(value);
    case "timestamp":
      return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/**
 * Decodes a cursor whose parts have the given kinds (e.g. ["timestamp", "uuid"]), or throws
 * `validation_failed` so a client that sends a cursor this API did not issue gets a clear 400
 * rather than a database error.
 */
export function readCursor(cursor: string, kinds: readonly CursorPart[]): string[] {
  const parts = decodeCursor(cursor);
  const valid =
    parts !== null &&
    parts.length === kinds.length &&
    parts.every((p, i): p is string => typeof p === "string" && partIsValid(kinds[i]!, p));
  if (!valid) throw new AppError("validation_failed", "The cursor is not one this API issued", { report: false });
  return parts as string[];
}
