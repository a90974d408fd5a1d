import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { fileId: string };

/** The file and where its processing stands (the upload list polls this while it runs). */
export const GET = handle<Params>(async (req, { params }) => {
  const fileId = routeId((await params).fileId, "File");
  const ctx = await requestContext(req);
  return (await services()).files.get(ctx, fileId);
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const fileId = routeId((await params).fileId, "File");
  const ctx = await requestContext(req);
  await (await services()).files.archive(ctx, fileId);
});
