import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isUuid } from "@devflow/util-core";
import { requireOrganization } from "@/lib/page-session";
import { AgentExecutionView } from "@/modules/ai-activity/AgentExecutionView";

export const metadata: Metadata = { title: "Agent run" };

/** One agent run. Whether the reader may see it is the API's answer: the view shows "not here" otherwise. */
export default async function AgentExecutionPage({
  params,
}: {
  params: Promise<{ orgSlug: string; executionId: string }>;
}) {
  const { orgSlug, executionId } = await params;
  const { organization } = await requireOrganization(orgSlug);
  if (!isUuid(executionId)) notFound();
  return <AgentExecutionView organization={organization} executionId={executionId} />;
}
