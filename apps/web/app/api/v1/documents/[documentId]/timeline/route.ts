import { TimelineQuerySchema } from "@devflow/contracts";
import { handle, readQuery, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

/** Who changed what: runs of one person's edits, newest first, paged by `cursor`. */
export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  const query = readQuery(req, TimelineQuerySchema);
  return (await services()).documents.history.timeline(ctx, documentId, query);
});
