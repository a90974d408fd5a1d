import { ListNotificationsQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { notificationsService } from "@/modules/notifications/notification-services";

/** The caller's own notifications in the organization, newest first (`cursor`, `limit` ≤ 50, `unread`), with the unread count. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListNotificationsQuerySchema);
  return (await notificationsService()).list(ctx, query);
});
