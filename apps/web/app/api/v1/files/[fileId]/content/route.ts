import { Readable } from "node:stream";
import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { fileId: string };

/**
 * Downloads the file as it was uploaded. Always as an attachment with the sniffed type and
 * `nosniff`: an uploaded file is never rendered as a page of this origin.
 */
export const GET = handle<Params>(async (req, { params }) => {
  const fileId = routeId((await params).fileId, "File");
  const ctx = await requestContext(req);
  const file = await (await services()).files.openContent(ctx, fileId);
  return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": file.contentType,
      "content-length": String(file.sizeBytes),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
});
