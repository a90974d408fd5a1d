import type { Metadata } from "next";
import { oauthService } from "@/lib/oauth-http";
import { requireOrganization } from "@/lib/page-session";
import { ConnectedAppsView } from "@/modules/settings/connected-apps/ConnectedAppsView";

export const metadata: Metadata = { title: "Connected apps" };

/** Every member sees and manages the apps they themselves connected in this organization. */
export default async function ConnectedAppsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization, ctx } = await requireOrganization((await params).orgSlug);
  const apps = await (await oauthService()).connectedApps.list(ctx);
  return <ConnectedAppsView organization={organization} apps={apps} />;
}
