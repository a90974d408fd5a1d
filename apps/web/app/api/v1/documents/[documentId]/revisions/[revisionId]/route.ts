import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string; revisionId: string };

/** Removes a version's name; the text's history is untouched. */
export const DELETE = handle<Params>(async (req, { params }) => {
  const { documentId: rawDocumentId, revisionId: rawRevisionId } = await params;
  const documentId = routeId(rawDocumentId, "Document");
  const revisionId = routeId(rawRevisionId, "Revision");
  const ctx = await requestContext(req);
  await (await services()).documents.history.deleteRevision(ctx, documentId, revisionId);
});
