import type { RequestContext } from "@devflow/auth";
import type { MemberRole, MyOrganizationDto, UserDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { randomUUID } from "node:crypto";

export interface OrganizationFixture {
  organization: MyOrganizationDto;
  owner: UserDto;
  /** A context acting as the owner. */
  ctx: RequestContext;
  /** Adds a member with `role` and returns a context acting as them. */
  addMember(role: MemberRole, name?: string): Promise<RequestContext & { user: UserDto }>;
}

/** An organization with an owner, made through the real services (so RLS applies as in production). */
export async function buildOrganization(db: Database, name = `Org ${randomUUID().slice(0, 6)}`): Promise<OrganizationFixture> {
  const organizations = createOrganizationsService(db);
  const owner = await organizations.ensureUser({ email: `owner-${randomUUID()}@example.test`, name: "Owner" });
  const organization = await organizations.createOrganization(owner.id, { name });
  const ctx = contextFor(organization.id, owner.id, "owner");
  return {
    organization,
    owner,
    ctx,
    async addMember(role, memberName = role) {
      const user = await organizations.ensureUser({ email: `${role}-${randomUUID()}@example.test`, name: memberName });
      await organizations.addMember(ctx, user.id, role);
      return { ...contextFor(organization.id, user.id, role), user };
    },
  };
}

export function contextFor(organizationId: string, userId: string, role: MemberRole): RequestContext {
  return { organizationId, actor: { userId, role }, requestId: `test-${randomUUID()}` };
}
