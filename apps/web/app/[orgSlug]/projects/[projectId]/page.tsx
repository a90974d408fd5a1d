import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isUuid } from "@devflow/util-core";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { webConfig } from "@/lib/config";
import { AssistantPanel } from "@/modules/assistant/AssistantPanel";
import { DocumentsView } from "@/modules/documents/DocumentsView";
import { FilesPanel } from "@/modules/files/FilesPanel";
import { ProjectAccessActions } from "@/modules/projects/access/ProjectAccessActions";
import { ProjectActivityLink } from "@/modules/ai-activity/ProjectActivityLink";
import { ProjectDeliveryLink } from "@/modules/delivery/ProjectDeliveryLink";
import { ProjectIssuesLink } from "@/modules/issues/ProjectIssuesLink";
import { ProjectReleasesLink } from "@/modules/releases/ProjectReleasesLink";

export const metadata: Metadata = { title: "Documents" };

export default async function ProjectPage({ params }: { params: Promise<{ orgSlug: string; projectId: string }> }) {
  const { orgSlug, projectId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(projectId)) notFound();
  const [project, access] = await Promise.all([
    loadOr404((s) => s.projects.get(ctx, projectId)),
    loadOr404((s) => s.projects.getAccess(ctx, projectId)),
  ]);
  return (
    <>
      <DocumentsView
        organization={organization}
        project={project}
        accessActions={
          <>
            <ProjectDeliveryLink orgSlug={orgSlug} projectId={project.id} />
            <ProjectReleasesLink orgSlug={orgSlug} projectId={project.id} />
            <ProjectIssuesLink orgSlug={orgSlug} projectId={project.id} />
            <ProjectActivityLink orgSlug={orgSlug} projectId={project.id} />
            <ProjectAccessActions organizationId={organization.id} project={project} canManage={access.canManage} />
          </>
        }
      >
        <FilesPanel organization={organization} project={project} />
      </DocumentsView>
      <AssistantPanel
        aiUrl={webConfig().AI_PUBLIC_URL}
        organizationId={organization.id}
        orgSlug={organization.slug}
        projectId={project.id}
      />
    </>
  );
}
