/** Prisma's code for a unique-constraint violation. */
const UNIQUE_VIOLATION = "P2002";

/** True when a write failed because a unique key already exists (map it to `conflict`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}
