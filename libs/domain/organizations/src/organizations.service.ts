import type { Actor, RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type {
  CreateOrganizationInput,
  MemberRole,
  MemberDto,
  MyOrganizationDto,
  Page,
  PageQuery,
  UserDto,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { encodeCursor, forbidden, newId, readCursor, slugify } from "@devflow/util-core";
import * as repo from "./organizations.repository";

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

/**
 * Organizations, their members, and the global user identities behind them. Looking a user up
 * or listing their organizations happens before any tenant is chosen, so those go through
 * withSystem with a stated reason; everything inside an organization goes through withTenant.
 */
export function createOrganizationsService(db: Database) {
  return {
    findUserByEmail(email: string): Promise<UserDto | null> {
      return db.withSystem("sign-in: look up a user by email", (tx) => repo.findUserByEmail(tx, email));
    },

    /** Finds the user with this email or creates them: identities are global, one per person. */
    ensureUser(input: { email: string; name: string }): Promise<UserDto> {
      return db.withSystem("identity: create or find a user by email", (tx) =>
        repo.upsertUser(tx, { email: input.email.toLowerCase(), name: input.name }),
      );
    },

    /** Adds an existing user to the organization (or changes their role if already a member). */
    async addMember(ctx: RequestContext, userId: string, role: MemberRole): Promise<void> {
      if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins can add members");
      if (role === "owner" && ctx.actor.role !== "owner") throw forbidden("Only owners can make someone an owner");
      await db.withTenant(ctx, (tx) => repo.upsertMembership(tx, ctx.organizationId, userId, role));
    },

    getUser(userId: string): Promise<UserDto | null> {
      return db.withSystem("session: load the signed-in user", (tx) => repo.findUserById(tx, userId));
    },

    async listMyOrganizations(userId: string): Promise<MyOrganizationDto[]> {
      const rows = await db.withSystem("organization switcher: the user's memberships", (tx) =>
        repo.listMembershipsOfUser(tx, userId),
      );
      return rows.map(({ role, organization }) => ({
        id: organization.id,
        slug: organization.slug,
        name: organization.name,
        createdAt: organization.createdAt.toISOString(),
        role,
      }));
    },

    /** The user's role in the organization, or null when they are not an active member. */
    async getActor(userId: string, organizationId: string): Promise<Actor | null> {
      const membership = await db.withTenant({ organizationId }, (tx) => repo.findActiveMembership(tx, userId));
      return membership ? { userId, role: membership.role } : null;
    },

    /** Creates an organization with the user as its owner; the slug is made unique. */
    async createOrganization(userId: string, input: CreateOrganizationInput): Promise<MyOrganizationDto> {
      const base = slugify(input.name);
      const slug = await db.withSystem("new organization: slugs are unique across organizations", async (tx) => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const candidate = attempt === 0 ? base : `${base}-${attempt + 1}`;
          if (!(await repo.slugExists(tx, candidate))) return candidate;
        }
        return `${base}-${newId().slice(0, 8)}`;
      });
      const id = newId();
      const created = await db.withTenant({ organizationId: id }, (tx) =>
        repo.insertOrganizationWithOwner(tx, { id, slug, name: input.name }, userId),
      );
      return { id, slug, name: created.name, createdAt: created.createdAt.toISOString(), role: "owner" };
    },

    async listMembers(ctx: RequestContext, query: PageQuery): Promise<Page<MemberDto>> {
      if (!can(ctx.actor, "members:read")) throw forbidden("You cannot see this organization's members");
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const after = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      const rows = await db.withTenant(ctx, (tx) => repo.listMembers(tx, query.limit, after));
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map((m) => ({ user: m.user, role: m.role, joinedAt: m.createdAt.toISOString() })),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  };
}
