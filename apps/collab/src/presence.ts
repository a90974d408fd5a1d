import { createHash } from "node:crypto";

/** Distinct on light and dark backgrounds, and readable as cursor labels with white text. */
const PALETTE = [
  "#e5484d",
  "#f76b15",
  "#d6a100",
  "#30a46c",
  "#12a594",
  "#0090ff",
  "#3e63dd",
  "#8e4ec6",
  "#d6409f",
  "#ad7f58",
  "#6e56cf",
  "#29a383",
] as const;

/** The same person gets the same colour in every session and on every instance. */
export function presenceColour(userId: string): string {
  const digest = createHash("sha256").update(userId).digest();
  return PALETTE[digest.readUInt32BE(0) % PALETTE.length]!;
}
