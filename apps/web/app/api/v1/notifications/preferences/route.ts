import { UpdateNotificationPreferencesInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { notificationsService } from "@/modules/notifications/notification-services";

/** The caller's channels (bell, email, Slack) for every notification type, defaults filled in. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return (await notificationsService()).getPreferences(ctx);
});

/** Replaces the channels of the types given; answers every type's channels. */
export const PUT = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, UpdateNotificationPreferencesInputSchema);
  return (await notificationsService()).updatePreferences(ctx, input);
});
