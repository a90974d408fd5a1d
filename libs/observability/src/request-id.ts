import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/*
 * An incoming id is echoed into logs and response headers, so only short ids made of safe
 * characters are trusted; anything else (newlines, megabytes of text) gets a fresh id instead.
 */
const TRUSTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's correlation id: the caller's `x-request-id` when it is a plausible id (so one id
 * follows a request from the load balancer through web, ai and worker), otherwise a new UUID.
 */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers[REQUEST_ID_HEADER];
  const incoming = Array.isArray(raw) ? raw[0] : raw;
  return incoming !== undefined && TRUSTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
