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

/**
 * Decodes a cursor made of `size` strings (e.g. [updatedAt, id]), or throws `validation_failed`
 * so a client that sends a cursor this API did not issue gets a clear 400.
 */
export function readCursor(cursor: string, size: number): string[] {
  const parts = decodeCursor(cursor);
  if (!parts || parts.length !== size || !parts.every((p): p is string => typeof p === "string")) {
    throw new AppError("validation_failed", "The cursor is not one this API issued", { report: false });
  }
  return parts;
}
