import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isUuid } from "@devflow/util-core";
import { webConfig } from "@/lib/config";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { services } from "@/lib/services";
import { DocumentReader } from "@/modules/documents/DocumentReader";
import { AssistantPanel } from "@/modules/assistant/AssistantPanel";
import { CollabEditor } from "@/modules/editor/CollabEditor";
import { passageSelectionOf } from "@/modules/search/passage-selection";

export const metadata: Metadata = { title: "Document" };

export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string; documentId: string }>;
  searchParams: Promise<{ at?: string | string[]; v?: string | string[] }>;
}) {
  const { orgSlug, documentId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(documentId)) notFound();
  const document = await loadOr404((s) => s.documents.get(ctx, documentId));
  const project = await loadOr404((s) => s.projects.get(ctx, document.projectId));
  const { documents } = await services();
  const selection = await passageSelectionOf(await searchParams, document, async (version) => {
    return (await documents.history.textAt(ctx, document.id, version)).content;
  });
  return (
    <DocumentReader organization={organization} project={project} document={document}>
      <CollabEditor
        // A fresh editor per document: its session and text must not carry over between documents.
        key={document.id}
        organizationId={organization.id}
        documentId={document.id}
        initialContent={document.content}
        collabUrl={webConfig().COLLAB_PUBLIC_URL}
        canDeleteRevisions={ctx.actor.role === "admin" || ctx.actor.role === "owner"}
        currentUserId={ctx.actor.userId}
        canModerateComments={ctx.actor.role === "admin" || ctx.actor.role === "owner"}
        initialSelection={selection}
      />
      <AssistantPanel
        aiUrl={webConfig().AI_PUBLIC_URL}
        organizationId={organization.id}
        orgSlug={organization.slug}
        projectId={project.id}
        documentId={document.id}
      />
    </DocumentReader>
  );
}
