import type { Metadata } from "next";
import { webConfig } from "@/lib/config";
import { requireOrganization } from "@/lib/page-session";
import { ProvisioningAdminsOnly } from "@/modules/settings/provisioning/ProvisioningAdminsOnly";
import { ProvisioningView } from "@/modules/settings/provisioning/ProvisioningView";

export const metadata: Metadata = { title: "Provisioning (SCIM)" };

export default async function ProvisioningSettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <ProvisioningAdminsOnly organizationName={organization.name} />;
  }
  return <ProvisioningView organization={organization} scimBaseUrl={`${webConfig().PUBLIC_URL}/scim/v2`} />;
}
