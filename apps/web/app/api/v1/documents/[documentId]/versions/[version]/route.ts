import { AppError } from "@devflow/util-core";
import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { documentId: string; version: string };

/** The document's text at one version. */
export const GET = handle<Params>(async (req, { params }) => {
  const { documentId: rawDocumentId, version: rawVersion } = await params;
  const documentId = routeId(rawDocumentId, "Document");
  if (!/^(0|[1-9][0-9]{0,9})$/.test(rawVersion) || Number(rawVersion) > 2_147_483_647) {
    throw new AppError("not_found", `Document ${documentId} has no version ${rawVersion.slice(0, 16)}`, {
      report: false,
    });
  }
  const ctx = await requestContext(req);
  return (await services()).documents.history.textAt(ctx, documentId, Number(rawVersion));
});
