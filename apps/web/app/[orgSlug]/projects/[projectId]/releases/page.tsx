import { isUuid } from "@devflow/util-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { ReleasesView } from "@/modules/releases/ReleasesView";

export const metadata: Metadata = { title: "Releases" };

/** Anyone who may see the project may see its releases' readiness (it only reads). */
export default async function ReleasesPage({ params }: { params: Promise<{ orgSlug: string; projectId: string }> }) {
  const { orgSlug, projectId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(projectId)) notFound();
  const project = await loadOr404((s) => s.projects.get(ctx, projectId));
  return (
    // The view reads the chosen milestone from the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense>
      <ReleasesView organization={organization} project={project} />
    </Suspense>
  );
}
