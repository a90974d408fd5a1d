import { CreateIssueFromPassageInputSchema } from "@devflow/contracts";
import { created, handle, readJson, routeId } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

// Each one files an issue in another service, on the organization's credentials.
const limiter = createRateLimiter({ limit: 30, windowMs: 60_000, what: "issues filed" });

/** The issues made from the document's passages, newest first. */
export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  return (await services()).issuesFromDocs.list(ctx, documentId);
});

/** Files an issue in GitHub, Jira or Linear from a passage of the document. */
export const POST = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const input = await readJson(req, CreateIssueFromPassageInputSchema);
  return created(await (await services()).issuesFromDocs.create(ctx, documentId, input));
});
