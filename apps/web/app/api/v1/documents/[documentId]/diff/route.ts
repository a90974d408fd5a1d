import { DiffQuerySchema } from "@devflow/contracts";
import { handle, readQuery, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string };

/** A line diff between the texts at versions `from` and `to`. */
export const GET = handle<Params>(async (req, { params }) => {
  const documentId = routeId((await params).documentId, "Document");
  const ctx = await requestContext(req);
  const { from, to } = readQuery(req, DiffQuerySchema);
  return (await services()).documents.history.diff(ctx, documentId, from, to);
});
