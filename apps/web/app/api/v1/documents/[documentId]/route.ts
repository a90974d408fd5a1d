import { UpdateDocumentInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  return (await services()).documents.get(ctx, documentId);
});

/** Rename, change kind or status, move to another project, archive or unarchive. */
export const PATCH = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  const input = await readJson(req, UpdateDocumentInputSchema);
  return (await services()).documents.update(ctx, documentId, input);
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  await (await services()).documents.remove(ctx, documentId);
});
