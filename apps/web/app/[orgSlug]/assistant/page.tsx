import type { Metadata } from "next";
import { Suspense } from "react";
import { webConfig } from "@/lib/config";
import { requireOrganization } from "@/lib/page-session";
import { AssistantPage } from "@/modules/assistant/AssistantPage";

export const metadata: Metadata = { title: "Assistant" };

/** Every member may talk to the assistant; it only ever reads what they may read. */
export default async function AssistantRoute({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  return (
    <div className="page page--wide">
      <header className="page-header__text">
        <h1 className="page-title">Assistant</h1>
      </header>
      {/* The open conversation is in the URL (?c=), read on the client. */}
      <Suspense>
        <AssistantPage aiUrl={webConfig().AI_PUBLIC_URL} organizationId={organization.id} orgSlug={organization.slug} />
      </Suspense>
    </div>
  );
}
