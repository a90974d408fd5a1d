import type { Actor, RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type {
  CreateOrganizationInput,
  MemberRole,
  MemberDto,
  MyOrganizationDto,
  Page,
  PageQuery,
  UpdateOrganizationInput,
  UserDto,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { encodeCursor, forbidden, newId, notFound, readCursor, slugify } from "@devflow/util-core";
import * as members from "./members.repository";
import { audit, changeRoleOf } from "./members.service";
import * as repo from "./organizations.repository";

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

/** Top-level paths of the web app (and a few kept for later) that an organization slug may not take. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "api",
  "scim",
  "sign-in",
  "sign-out",
  "invite",
  "health",
  "metrics",
  "settings",
  "admin",
  "auth",
  "oauth",
  "saml",
  "mcp",
  "docs",
  "help",
  "static",
  "assets",
  "well-known",
  "new",
  "_next",
]);

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

    /**
     * Adds an existing user to the organization, or changes their role if already a member (with the
     * same rules as a role change: only owners act on owners, the last owner stays one).
     */
    async addMember(ctx: RequestContext, userId: string, role: MemberRole): Promise<void> {
      if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins can add members");
      if (role === "owner" && ctx.actor.role !== "owner") throw forbidden("Only owners can make someone an owner");
      await db.withTenant(ctx, async (tx) => {
        const existing = await members.findMembership(tx, userId);
        if (existing?.status === "active") {
          await changeRoleOf(tx, ctx, existing, role);
          return;
        }
        await repo.upsertMembership(tx, ctx.organizationId, userId, role);
        await audit(tx, ctx, { action: "member.added", target: { type: "user", id: userId }, metadata: { role } });
      });
    },

    /** Renames the organization; its slug, and so its URLs, stay the same. */
    async renameOrganization(ctx: RequestContext, input: UpdateOrganizationInput): Promise<MyOrganizationDto> {
      if (!can(ctx.actor, "organization:update")) throw forbidden("Only admins and owners can rename the organization");
      return db.withTenant(ctx, async (tx) => {
        const current = await members.findOrganization(tx, ctx.organizationId);
        if (!current) throw notFound("Organization", ctx.organizationId);
        const renamed =
          current.name === input.name ? current : await members.renameOrganization(tx, current.id, input.name);
        if (renamed !== current) {
          await audit(tx, ctx, {
            action: "organization.renamed",
            target: { type: "organization", id: current.id },
            metadata: { from: current.name, to: renamed.name },
          });
        }
        return { ...renamed, createdAt: renamed.createdAt.toISOString(), role: ctx.actor.role };
      });
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
      const slugged = slugify(input.name);
      // An organization's slug is its URL; it must not shadow the app's own top-level routes.
      const base = RESERVED_SLUGS.has(slugged) ? `${slugged}-team` : slugged;
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
