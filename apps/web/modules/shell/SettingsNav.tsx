"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import Link from "next/link";
import { usePathname } from "next/navigation";

const ADMIN_ROLES: ReadonlySet<MyOrganizationDto["role"]> = new Set(["owner", "admin"]);

/** Sidebar links to the organization's settings; admin-only pages are listed for admins only. */
export function SettingsNav({ organization }: { organization: MyOrganizationDto }) {
  const pathname = usePathname();
  const base = `/${organization.slug}/settings`;
  const isAdmin = ADMIN_ROLES.has(organization.role);
  const links = [
    { href: `${base}/members`, label: "Members" },
    { href: `${base}/tokens`, label: "API tokens" },
    { href: `${base}/connected-apps`, label: "Connected apps" },
    { href: `${base}/notifications`, label: "Notifications" },
    ...(isAdmin
      ? [
          { href: `${base}/sso`, label: "Single sign-on" },
          { href: `${base}/provisioning`, label: "Provisioning (SCIM)" },
          { href: `${base}/integrations`, label: "Integrations" },
          { href: `${base}/workflows`, label: "Workflows" },
          { href: `${base}/audit`, label: "Audit log" },
        ]
      : []),
  ];
  return (
    <>
      <div className="sidebar__heading" id="settings-nav-heading">
        Settings
      </div>
      <ul className="sidebar__list" aria-labelledby="settings-nav-heading" data-testid="settings-nav">
        {links.map((link) => (
          <li key={link.href}>
            <Link
              href={link.href}
              className="nav-link"
              aria-current={pathname.startsWith(link.href) ? "page" : undefined}
            >
              <span className="nav-link__name">{link.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
