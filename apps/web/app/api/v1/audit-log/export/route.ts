import { ExportAuditLogQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { webLogger } from "@/lib/logger";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The filtered audit log as a CSV or JSON download, streamed (at most AUDIT_EXPORT_MAX_ROWS rows). */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const { format, ...filter } = readQuery(req, ExportAuditLogQuerySchema);
  const file = await (await services()).auditLog.export(ctx, filter, format);
  const chunks = file.chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // Headers are gone by now; the client sees a broken download, and the cause is logged here.
        webLogger().error({ err: error, requestId: ctx.requestId }, "audit log export failed mid-stream");
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
    },
  });
});
