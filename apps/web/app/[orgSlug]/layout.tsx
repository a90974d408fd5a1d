import type { ReactNode } from "react";
import { webConfig } from "@/lib/config";
import { AppShell } from "@/modules/shell/AppShell";

/** The signed-in frame. Checks nothing: every page.tsx below does its own (STYLE.md §2). */
export default async function OrganizationLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  return (
    <AppShell orgSlug={orgSlug} collabUrl={webConfig().COLLAB_PUBLIC_URL}>
      {children}
    </AppShell>
  );
}
