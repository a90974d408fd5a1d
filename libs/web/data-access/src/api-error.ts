import type { ErrorCode } from "@devflow/contracts";

/** What every failed API call resolves to: the server's error envelope plus the HTTP status. */
export interface ApiError {
  /** HTTP status; 0 when the server could not be reached at all. */
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export interface FieldIssue {
  path: string;
  message: string;
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).code === "string" &&
    typeof (value as ApiError).message === "string" &&
    typeof (value as ApiError).status === "number"
  );
}

/** A sentence to show the user for any error a hook hands back (or `null` when there is none). */
export function errorMessage(error: unknown, fallback = "Something went wrong. Please try again."): string | null {
  if (error === undefined || error === null) return null;
  if (isApiError(error)) {
    const issues = fieldIssues(error);
    // "Invalid input" alone helps nobody; the first field issue says what to fix.
    if (issues.length > 0) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return fallback;
}

/** The per-field problems of a `validation_failed` error, for showing next to form fields. */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!isApiError(error) || error.code !== "validation_failed") return [];
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter(
      (issue): issue is FieldIssue =>
        typeof issue === "object" && issue !== null && typeof (issue as FieldIssue).message === "string",
    )
    .map((issue) => ({ path: String(issue.path ?? ""), message: issue.message }));
}
