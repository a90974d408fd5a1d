import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { AdminsOnly } from "@/modules/settings/sso/AdminsOnly";
import { SsoSettingsView } from "@/modules/settings/sso/SsoSettingsView";

export const metadata: Metadata = { title: "Single sign-on" };

export default async function SsoSettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <AdminsOnly organizationName={organization.name} />;
  }
  return <SsoSettingsView organization={organization} />;
}
