/** Prisma's code for a unique-constraint violation. */
const UNIQUE_VIOLATION = "P2002";

/** True when a write failed because a unique key already exists (map it to `conflict`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** Prisma's code for a foreign-key violation. */
const FOREIGN_KEY_VIOLATION = "P2003";

/** True when a write failed because the row it refers to does not exist (e.g. was deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION;
}
