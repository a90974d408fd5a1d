import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { MembersSettingsView } from "@/modules/settings/members/MembersSettingsView";

export const metadata: Metadata = { title: "Members" };

/** Every member sees who belongs; what they may change is decided by their role (and enforced by the API). */
export default async function MembersPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization, session } = await requireOrganization((await params).orgSlug);
  return <MembersSettingsView organization={organization} currentUserId={session.user.id} />;
}
