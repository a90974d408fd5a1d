import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { AuditAdminsOnly } from "@/modules/settings/audit/AuditAdminsOnly";
import { AuditLogView } from "@/modules/settings/audit/AuditLogView";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <AuditAdminsOnly organizationName={organization.name} />;
  }
  return <AuditLogView organization={organization} />;
}
