import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { NotificationPreferencesView } from "@/modules/notifications/NotificationPreferencesView";
import { notificationsService } from "@/modules/notifications/notification-services";

export const metadata: Metadata = { title: "Notifications" };

/** Every member chooses, for themselves, how each kind of notification reaches them. */
export default async function NotificationSettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization, ctx } = await requireOrganization((await params).orgSlug);
  const { items } = await (await notificationsService()).getPreferences(ctx);
  return <NotificationPreferencesView organization={organization} preferences={items} />;
}
