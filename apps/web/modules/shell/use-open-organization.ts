"use client";

import { useSwitchOrganizationMutation } from "@devflow/web-data-access";
import { useRouter } from "next/navigation";

/** Makes an organization the session's current one and navigates to it. */
export function useOpenOrganization() {
  const router = useRouter();
  const [switchOrganization, state] = useSwitchOrganizationMutation();
  async function open(organization: { id: string; slug: string }) {
    await switchOrganization({ organizationId: organization.id }).unwrap();
    router.push(`/${organization.slug}`);
  }
  return [open, state] as const;
}
