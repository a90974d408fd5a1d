import { ERROR_CODES, HTTP_STATUS, type ErrorCode, type ErrorEnvelope } from "@devflow/contracts";
import { REQUEST_ID_HEADER, requestIdFrom } from "@devflow/observability";
import { AppError, isUuid, notFound } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { webLogger } from "./logger";

/** Largest JSON body any route accepts; bigger ones get 413 before they are parsed. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Which organization a request acts in. Must match `ORGANIZATION_HEADER` in `@devflow/web-data-access`
 * (duplicated because that lib is browser code; TODO: move the wire name into @devflow/contracts).
 */
export const ORGANIZATION_HEADER = "x-organization-id";

/** The second argument Next passes to a route handler. */
export interface HandlerContext<P> {
  params: Promise<P>;
}

type Handler<P> = (req: NextRequest, context: HandlerContext<P>) => Promise<unknown>;

/** Anything `toErrorResponse` may log to. */
export interface ErrorLogger {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * Wraps a route handler: its return value becomes the JSON response (`undefined` → 204, a `Response`
 * passes through), any thrown error becomes the error envelope, and every response carries
 * `x-request-id` and `cache-control: no-store` (API answers are per user).
 */
export function handle<P extends Record<string, string | string[]> = Record<string, never>>(fn: Handler<P>) {
  return async (req: NextRequest, context: HandlerContext<P>): Promise<Response> => {
    const requestId = requestIdOf(req);
    let response: Response;
    try {
      assertSameSite(req);
      response = toResponse(await fn(req, context));
    } catch (error) {
      response = toErrorResponse(error, { requestId, logger: webLogger() });
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    return response;
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for cookie-authenticated writes, on top of SameSite=Lax cookies and JSON-only
 * bodies: a browser announces where a request comes from (Origin, Sec-Fetch-Site), and a write from
 * another site is refused. API clients with a bearer token send no cookies and are not affected.
 */
export function assertSameSite(req: Request): void {
  if (SAFE_METHODS.has(req.method) || req.headers.get("authorization")?.startsWith("Bearer ")) return;
  const fetchSite = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const crossSite =
    fetchSite === "cross-site" || (origin !== null && origin !== "null" && host !== null && new URL(origin).host !== host);
  if (crossSite || origin === "null") {
    throw new AppError("forbidden", "Cross-site requests are not allowed", { report: false, details: { reason: "csrf" } });
  }
}

/** A 201 response for a create. */
export function created(body: unknown): Response {
  return Response.json(body, { status: 201 });
}

function toResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return Response.json(result);
}

const requestIds = new WeakMap<Request, string>();

/**
 * The request's correlation id: server.ts puts one in `x-request-id` for every request; a trusted
 * caller's id is kept, otherwise one is made. Memoized so the context and the response agree.
 */
export function requestIdOf(req: Request): string {
  let id = requestIds.get(req);
  if (!id) {
    id = requestIdFrom({ [REQUEST_ID_HEADER]: req.headers.get(REQUEST_ID_HEADER) ?? undefined });
    requestIds.set(req, id);
  }
  return id;
}

/** The one mapping from a thrown error to an HTTP answer. Unknown errors are logged and never described. */
export function toErrorResponse(
  error: unknown,
  { requestId, logger }: { requestId: string; logger: ErrorLogger },
): Response {
  if (isAppErrorLike(error)) {
    if (error.report) logger.error({ err: error, requestId, code: error.code }, error.message);
    return envelope(error.code, error.message, error.details);
  }
  if (isZodError(error)) {
    const issues = error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
      code: issue.code,
    }));
    const first = issues[0];
    const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid input";
    return envelope("validation_failed", `The request is invalid (${summary})`, { issues });
  }
  logger.error({ err: error, requestId }, "unhandled error in a route handler");
  return envelope("internal", `Something went wrong on our side. Quote request id ${requestId} if you report it.`);
}

function envelope(code: ErrorCode, message: string, details?: unknown): Response {
  const body: ErrorEnvelope = { error: { code, message, ...(details !== undefined && { details }) } };
  return Response.json(body, { status: HTTP_STATUS[code] });
}

/*
 * Checked by shape as well as by class: should a lib ever end up bundled twice, `instanceof` against the
 * other copy would fail and a deliberate 404 would turn into a 500.
 */
function isAppErrorLike(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  if (!(error instanceof Error) || error.name !== "AppError") return false;
  const { code, report } = error as Partial<AppError>;
  return (ERROR_CODES as readonly string[]).includes(code as string) && typeof report === "boolean";
}

function isZodError(error: unknown): error is z.ZodError {
  if (error instanceof z.ZodError) return true;
  return error instanceof Error && error.name === "ZodError" && Array.isArray((error as { issues?: unknown }).issues);
}

/**
 * Reads a JSON body and parses it with `schema`. Rejects bodies over the limit (by header, and while
 * reading, since chunked requests have no length), non-JSON content types — which also keeps plain
 * cross-site form posts out — and malformed JSON.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > JSON_BODY_LIMIT_BYTES) throw tooLarge();
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new AppError("validation_failed", "Send the body as JSON with Content-Type: application/json", {
      report: false,
    });
  }
  const text = await readTextWithin(req, JSON_BODY_LIMIT_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("validation_failed", "The request body is not valid JSON", { report: false, cause: error });
  }
  return schema.parse(body);
}

async function readTextWithin(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${JSON_BODY_LIMIT_BYTES / 1024} KB`, {
    report: false,
  });
}

/** Parses the query string with `schema` (list endpoints' cursor, limit, archived). */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}

/** A path id, or 404 for anything that is not a UUID (it cannot name a record, and the DB would reject it). */
export function routeId(value: string, what: string): string {
  if (!isUuid(value)) throw notFound(what, value.slice(0, 64));
  return value;
}
