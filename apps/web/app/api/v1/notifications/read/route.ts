import { MarkNotificationsReadInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { notificationsService } from "@/modules/notifications/notification-services";

/** Marks `{ ids }` (the caller's own; others' are ignored) or `{ all: true }` read; answers the new unread count. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, MarkNotificationsReadInputSchema);
  return (await notificationsService()).markRead(ctx, input);
});
