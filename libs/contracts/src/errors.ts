import { z } from "zod";

/** The closed set of error codes every edge (HTTP, socket, MCP, jobs) speaks. */
export const ERROR_CODES = [
  "not_found",
  "forbidden",
  "unauthenticated",
  "conflict",
  "validation_failed",
  "payload_too_large",
  // A webhook whose signature is missing or does not match the integration's secret.
  "invalid_signature",
  "unsupported_media_type",
  "rate_limited",
  "tenant_mismatch",
  "unavailable",
  "internal",
  // A language-model provider failed, throttled us, timed out, or none is set up for what was asked.
  "ai_provider_error",
  "ai_rate_limited",
  "ai_timeout",
  "ai_not_configured",
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** A `Record` so that adding a code without its status fails to compile. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  validation_failed: 400,
  payload_too_large: 413,
  invalid_signature: 401,
  unsupported_media_type: 415,
  rate_limited: 429,
  tenant_mismatch: 403,
  unavailable: 503,
  internal: 500,
  ai_provider_error: 502,
  ai_rate_limited: 429,
  ai_timeout: 504,
  ai_not_configured: 503,
};

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
