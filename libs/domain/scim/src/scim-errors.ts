import type { ErrorCode, ScimErrorType } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";

/**
 * A domain error carrying the RFC 7644 §3.12 `scimType`, which the SCIM edge puts in its error body.
 * The domain stays transport-neutral: the type travels in `details`, like any other safe detail.
 */
export function scimError(code: ErrorCode, scimType: ScimErrorType | null, message: string): AppError {
  return new AppError(code, message, { report: false, details: scimType ? { scimType } : undefined });
}

export function invalidValue(message: string): AppError {
  return scimError("validation_failed", "invalidValue", message);
}

export function invalidFilter(message: string): AppError {
  return scimError("validation_failed", "invalidFilter", message);
}

/** RFC 7644 §3.3: a resource that already exists is 409 with scimType "uniqueness". */
export function uniqueness(message: string): AppError {
  return scimError("conflict", "uniqueness", message);
}

export function scimNotFound(resource: "User" | "Group", id: string): AppError {
  return scimError("not_found", null, `${resource} ${id.slice(0, 64)} not found`);
}
