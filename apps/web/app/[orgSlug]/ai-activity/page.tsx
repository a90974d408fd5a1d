import { can } from "@devflow/auth";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { requireOrganization } from "@/lib/page-session";
import { AiActivityView } from "@/modules/ai-activity/AiActivityView";

export const metadata: Metadata = { title: "AI activity" };

/** Every member may open it: admins see the organization's activity, others their own and their projects'. */
export default async function AiActivityPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization, ctx } = await requireOrganization((await params).orgSlug);
  if (!can(ctx.actor, "ai_activity:read_own")) notFound();
  return (
    // The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense>
      <AiActivityView organization={organization} seesEverything={can(ctx.actor, "ai_activity:read")} />
    </Suspense>
  );
}
