import type { MemberRole } from "@devflow/contracts";
import type { Database } from "@devflow/db";

export interface OrganizationSignInPolicy {
  organizationId: string;
  name: string;
  slug: string;
  enforcesSso: boolean;
}

/** An active member's role together with their organization's sign-in policy. */
export interface MemberAccess {
  role: MemberRole;
  policy: OrganizationSignInPolicy;
}

/** How an organization lets people in, read inside its own tenant context. */
export function createSignInPolicyReader(db: Database) {
  return {
    /**
     * What every authenticated request needs, in one round trip: the user's role if they are an active
     * member, and whether the organization enforces SSO. Null for non-members and deactivated members.
     */
    async accessOf(userId: string, organizationId: string): Promise<MemberAccess | null> {
      const row = await db.withTenant({ organizationId }, (tx) =>
        tx.membership.findFirst({
          where: { userId, status: "active", organization: { deletedAt: null } },
          select: { role: true, organization: { select: { id: true, name: true, slug: true, enforceSso: true } } },
        }),
      );
      if (!row) return null;
      const { organization } = row;
      return {
        role: row.role,
        policy: {
          organizationId: organization.id,
          name: organization.name,
          slug: organization.slug,
          enforcesSso: organization.enforceSso,
        },
      };
    },

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
