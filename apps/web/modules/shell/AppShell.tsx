"use client";

import { isApiError, useGetSessionQuery } from "@devflow/web-data-access";
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { AiActivityNavLink } from "../ai-activity/AiActivityNavLink";
import { AssistantNavLink } from "../assistant/AssistantNavLink";
import { NotificationBell } from "../notifications/NotificationBell";
import { SearchLauncher } from "../search/SearchLauncher";
import { OrganizationSwitcher } from "./OrganizationSwitcher";
import { ProjectsNav } from "./ProjectsNav";
import { SettingsNav } from "./SettingsNav";
import { UserMenu } from "./UserMenu";

/**
 * The signed-in frame: sidebar (organization switcher, projects, user menu) and the page. It checks
 * nothing — each page.tsx has already — but follows a session that expires while the page is open.
 */
export function AppShell({
  orgSlug,
  collabUrl,
  children,
}: {
  orgSlug: string;
  /** Where the collab service is, for the bell's live notifications. */
  collabUrl?: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const { data: session, error } = useGetSessionQuery();
  const current = session?.organizations.find((o) => o.slug === orgSlug);
  const isSignedOut = isApiError(error) && error.code === "unauthenticated";

  useEffect(() => {
    if (isSignedOut) router.replace("/sign-in");
  }, [isSignedOut, router]);

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar" aria-label="Workspace navigation">
        <div className="sidebar__brand">
          <span className="brand-mark" aria-hidden>
            D
          </span>
          DevFlow
          {current && (
            <NotificationBell
              key={current.id}
              organizationId={current.id}
              orgSlug={current.slug}
              collabUrl={collabUrl}
            />
          )}
        </div>
        <OrganizationSwitcher session={session} current={current} />
        {current && <SearchLauncher key={current.id} organizationId={current.id} orgSlug={current.slug} />}
        {current && <AssistantNavLink orgSlug={current.slug} />}
        <nav className="sidebar__nav" aria-label="Projects">
          {current && <ProjectsNav organization={current} />}
        </nav>
        <nav className="sidebar__nav" aria-label="Activity">
          {current && <AiActivityNavLink organization={current} />}
        </nav>
        <nav className="sidebar__nav" aria-label="Settings">
          {current && <SettingsNav organization={current} />}
        </nav>
        <div className="sidebar__footer">{session && <UserMenu user={session.user} />}</div>
      </aside>
      <main className="main" id="main">
        {children}
      </main>
    </div>
  );
}
