import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

/**
 * The document's comment threads with their replies, anchors at the head version, in document
 * order (a document holds a bounded number of threads, so there are no pages). Comments are
 * written through the collab service's `comment:*` events, so everyone in the document sees them live.
 */
export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  return (await services()).comments.listThreads(ctx, documentId);
});
