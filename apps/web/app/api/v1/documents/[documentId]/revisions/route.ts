import { CreateRevisionInputSchema } from "@devflow/contracts";
import { created, handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

/** The document's named versions, newest first. */
export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  return (await services()).documents.history.listRevisions(ctx, documentId);
});

/** Names the current version, or `version`. */
export const POST = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateRevisionInputSchema);
  return created(await (await services()).documents.history.createRevision(ctx, documentId, input));
});
