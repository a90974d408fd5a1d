import "server-only";
import {
  ERROR_CODES,
  HTTP_STATUS,
  SCIM_ERROR_TYPES,
  SCIM_SCHEMA_ERROR,
  ScimListQuerySchema,
  type ErrorCode,
  type ScimError,
  type ScimErrorType,
  type ScimListQuery,
} from "@devflow/contracts";
import type { ScimContext } from "@devflow/domain-scim";
import { REQUEST_ID_HEADER } from "@devflow/observability";
import { AppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { readJson, requestIdOf, type HandlerContext } from "./http";
import { webLogger } from "./logger";
import { clientIp, createRateLimiter } from "./rate-limit";
import { processSingleton } from "./runtime-globals";
import { services, type Services } from "./services";

/*
 * The SCIM 2.0 edge (RFC 7644). SCIM clients expect SCIM's own JSON — `application/scim+json`, the
 * Error schema, 201/204 — never the REST envelope, so SCIM routes use `scimRoute` instead of `handle`.
 */

export const SCIM_CONTENT_TYPE = "application/scim+json";

/** Requests one SCIM token may make per minute; a full Okta or Entra ID sync stays well below it. */
export const SCIM_REQUESTS_PER_MINUTE = 600;
const WINDOW_MS = 60_000;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export interface ScimCall<P> {
  scim: ScimContext;
  services: Services;
  params: P;
}

/** A route's answer: a resource (200), `scimCreated(…)` (201), `undefined` (204) or a Response. */
type ScimHandler<P> = (req: NextRequest, call: ScimCall<P>) => Promise<unknown>;

/**
 * Wraps a SCIM route: authenticates the bearer SCIM token (401 otherwise), applies the per-token
 * rate limit, runs the handler, and turns any error into a SCIM Error response. Every answer is
 * `application/scim+json`, carries `x-request-id` and is never cached.
 */
export function scimRoute<P extends Record<string, string | string[]> = Record<string, never>>(fn: ScimHandler<P>) {
  return async (req: NextRequest, context: HandlerContext<P>): Promise<Response> => {
    const requestId = requestIdOf(req);
    let response: Response;
    try {
      const s = await services();
      const scim = await authenticate(req, s);
      perTokenLimiter().consume(scim.tokenId);
      response = toScimResponse(await fn(req, { scim, services: s, params: await context.params }));
    } catch (error) {
      response = scimErrorResponse(error, requestId);
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    response.headers.set("cache-control", "no-store");
    return response;
  };
}

/** A 201 for a created resource, with `Location` as RFC 7644 §3.3 asks. */
export function scimCreated(resource: { meta: { location: string } }): Response {
  return scimJson(resource, 201, { location: resource.meta.location });
}

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": SCIM_CONTENT_TYPE, ...headers } });
}

/** Reads a JSON (or SCIM JSON) body within the 1 MB limit and parses it with `schema`. */
export function readScimBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  return readJson(req, schema);
}

/** `filter`, `startIndex`, `count` and `excludedAttributes` from the query string. */
export function readScimListQuery(req: Request): ScimListQuery {
  const params = new URL(req.url).searchParams;
  return ScimListQuerySchema.parse({
    filter: params.get("filter") ?? undefined,
    startIndex: params.get("startIndex") ?? undefined,
    count: params.get("count") ?? undefined,
    excludedAttributes: params.get("excludedAttributes") ?? undefined,
  });
}

/** The route's `[id]`; SCIM ids are opaque to clients, so anything else is simply not found by the service. */
export function scimId(params: { id: string }): string {
  return params.id.slice(0, 200);
}

async function authenticate(req: NextRequest, s: Services): Promise<ScimContext> {
  const token = BEARER.exec(req.headers.get("authorization")?.trim() ?? "")?.[1];
  const principal = token ? await s.scimTokens.authenticate(token) : null;
  if (!principal) {
    throw new AppError("unauthenticated", "Send a valid SCIM token as Authorization: Bearer <token>", {
      report: false,
    });
  }
  return { ...principal, ipAddress: clientIp(req.headers) };
}

function toScimResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return scimJson(result);
}

/**
 * The one mapping from a thrown error to a SCIM Error (RFC 7644 §3.12). Domain errors carry their
 * `scimType` in `details`; malformed bodies are invalidSyntax; unknown errors are logged, never described.
 */
export function scimErrorResponse(error: unknown, requestId: string): Response {
  if (isZodError(error)) {
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    return scimErrorBody(400, "invalidSyntax", `The request is invalid (${where}${first?.message ?? "invalid input"})`);
  }
  if (isAppErrorLike(error)) {
    if (error.report) webLogger().error({ err: error, requestId, code: error.code }, error.message);
    const headers: Record<string, string> = {};
    if (error.code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="scim"';
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === "rate_limited" && typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
    const scimType =
      scimTypeOf(error.details) ?? (error.code === "validation_failed" && !error.details ? "invalidSyntax" : undefined);
    return scimErrorBody(HTTP_STATUS[error.code], scimType, error.message, headers);
  }
  webLogger().error({ err: error, requestId }, "unhandled error in a SCIM route");
  return scimErrorBody(
    500,
    undefined,
    `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
  );
}

function scimErrorBody(
  status: number,
  scimType: ScimErrorType | undefined,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  const body: ScimError = {
    schemas: [SCIM_SCHEMA_ERROR],
    status: String(status),
    ...(scimType && { scimType }),
    detail,
  };
  return scimJson(body, status, headers);
}

function scimTypeOf(details: unknown): ScimErrorType | undefined {
  const scimType = (details as { scimType?: unknown } | undefined)?.scimType;
  return (SCIM_ERROR_TYPES as readonly unknown[]).includes(scimType) ? (scimType as ScimErrorType) : undefined;
}

/* Checked by shape as well as by class, as in http.ts: a lib bundled twice would defeat instanceof. */
function isAppErrorLike(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  if (!(error instanceof Error) || error.name !== "AppError") return false;
  const { code, report } = error as Partial<AppError>;
  return (ERROR_CODES as readonly string[]).includes(code as ErrorCode) && typeof report === "boolean";
}

function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === "ZodError" && Array.isArray((error as { issues?: unknown }).issues);
}

// ───────────── rate limit (fixed window, per process) ─────────────

const LIMITER_KEY = Symbol.for("devflow.web.scim-rate-limit");

/** One per process (route bundles each load this module), so the limit holds across SCIM routes. */
function perTokenLimiter() {
  return processSingleton(LIMITER_KEY, () =>
    createRateLimiter({ limit: SCIM_REQUESTS_PER_MINUTE, windowMs: WINDOW_MS, maxKeys: 10_000, what: "SCIM requests" }),
  );
}
