"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The sidebar's way to the assistant's page and its conversation history. */
export function AssistantNavLink({ orgSlug }: { orgSlug: string }) {
  const href = `/${orgSlug}/assistant`;
  return (
    <Link
      href={href}
      className="nav-link"
      aria-current={usePathname() === href ? "page" : undefined}
      data-testid="assistant-nav"
    >
      <span aria-hidden>✦</span>
      Assistant
    </Link>
  );
}
