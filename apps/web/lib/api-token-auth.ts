import "server-only";
import type { RequestContext } from "@devflow/auth";
import { AppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { ORGANIZATION_HEADER, requestIdOf } from "./http";
import { services } from "./services";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The context an `Authorization: Bearer dfp_…` header stands for: null when the request carries no
 * bearer credentials (use the session instead), "invalid" when it carries one that does not
 * authenticate (answer 401; never fall back to the cookie). The organization is the token's own;
 * an `x-organization-id` naming another one is refused with tenant_mismatch rather than ignored.
 * Nothing is cached, so a revoked token fails on its next request.
 */
export async function contextFromBearer(req: NextRequest): Promise<RequestContext | null | "invalid"> {
  const header = req.headers.get("authorization");
  if (!header || !/^Bearer\b/i.test(header.trimStart())) return null;
  const token = BEARER.exec(header.trim())?.[1];
  if (!token) return "invalid";
  const ctx = await (await services()).apiTokens.authenticate(token, requestIdOf(req));
  if (!ctx) return "invalid";
  const named = req.headers.get(ORGANIZATION_HEADER);
  if (named && named.toLowerCase() !== ctx.organizationId) {
    throw new AppError(
      "tenant_mismatch",
      `This API token belongs to organization ${ctx.organizationId}, not ${named.slice(0, 64)}`,
      {
        report: false,
      },
    );
  }
  return ctx;
}
