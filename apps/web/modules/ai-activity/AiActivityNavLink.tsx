"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import Link from "next/link";
import { usePathname } from "next/navigation";

/** The sidebar's link to the AI activity page; every member has one (they see their own activity). */
export function AiActivityNavLink({ organization }: { organization: MyOrganizationDto }) {
  const pathname = usePathname();
  const href = `/${organization.slug}/ai-activity`;
  return (
    <ul className="sidebar__list" data-testid="ai-activity-nav">
      <li>
        <Link href={href} className="nav-link" aria-current={pathname.startsWith(href) ? "page" : undefined}>
          <span className="nav-link__name">AI activity</span>
        </Link>
      </li>
    </ul>
  );
}
