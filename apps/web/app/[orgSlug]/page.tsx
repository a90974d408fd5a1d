import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { ProjectsView } from "@/modules/projects/ProjectsView";

export const metadata: Metadata = { title: "Projects" };

export default async function OrganizationPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  return <ProjectsView organization={organization} />;
}
