import { scopesAllowedFor } from "@devflow/auth";
import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { ApiTokensView } from "@/modules/settings/tokens/ApiTokensView";

export const metadata: Metadata = { title: "API tokens" };

/** Every member may manage their own tokens; the role decides which scopes are offered. */
export default async function ApiTokensPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  return <ApiTokensView organization={organization} allowedScopes={scopesAllowedFor(organization.role)} />;
}
