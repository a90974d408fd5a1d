import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { ListFilesQuerySchema } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";
import { created, handle, readQuery, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { projectId: string };

export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  return (await services()).files.list(ctx, projectId, readQuery(req, ListFilesQuerySchema));
});

/**
 * Uploads one file: the body is the file's bytes (`Content-Type: application/octet-stream`, which
 * no cross-site form can send), its name in `?name=`. Streamed to storage as it arrives; the type
 * is sniffed from the content. 201 with the file, whose processing then runs in the worker.
 */
export const POST = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  if (!/^application\/octet-stream\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the file's bytes with Content-Type: application/octet-stream", {
      report: false,
    });
  }
  if (!req.body) throw new AppError("validation_failed", "The file is empty", { report: false });
  const declared = req.headers.get("content-length");
  const file = await (await services()).files.upload(ctx, projectId, {
    name: new URL(req.url).searchParams.get("name") ?? "",
    body: Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>),
    ...(declared !== null && Number.isFinite(Number(declared)) && { declaredBytes: Number(declared) }),
  });
  return created(file);
});
