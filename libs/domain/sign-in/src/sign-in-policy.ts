import type { Database } from "@devflow/db";

export interface OrganizationSignInPolicy {
  organizationId: string;
  name: string;
  slug: string;
  enforcesSso: boolean;
}

/** How an organization lets people in, read inside its own tenant context. */
export function createSignInPolicyReader(db: Database) {
  return {
    async forOrganization(organizationId: string): Promise<OrganizationSignInPolicy | null> {
      const row = await db.withTenant({ organizationId }, (tx) =>
        tx.organization.findFirst({
          where: { id: organizationId, deletedAt: null },
          select: { id: true, name: true, slug: true, enforceSso: true },
        }),
      );
      return row && { organizationId: row.id, name: row.name, slug: row.slug, enforcesSso: row.enforceSso };
    },
  };
}
export type SignInPolicyReader = ReturnType<typeof createSignInPolicyReader>;
