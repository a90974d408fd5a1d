import type {
  ScimListQuery,
  ScimListResponse,
  ScimPatchOperation,
  ScimUserInput,
  ScimUserResource,
} from "@devflow/contracts";
import { type Database, isUniqueViolation, type Prisma, type Tx } from "@devflow/db";
import { recordAudit, type AuditEntry } from "@devflow/domain-audit";
import { isUuid } from "@devflow/util-core";
import { invalidValue, scimError, scimNotFound, uniqueness } from "./scim-errors";
import { parseScimFilter, USER_FILTER_ATTRIBUTES } from "./scim-filter";
import { applyUserPatch, joinName, type ScimUserFields } from "./scim-patch";
import { listResponse, toUserResource, userFieldsOf } from "./scim-render";
import * as repo from "./scim.repository";
import type { ScimMemberRow } from "./scim.repository";

/** Who a SCIM call acts for: the token's organization and the token, recorded in every audit entry. */
export interface ScimContext {
  organizationId: string;
  tokenId: string;
  /** The IdP's address, for the audit log. */
  ipAddress?: string | null;
}

export interface ScimDeps {
  db: Database;
  /** Absolute `/scim/v2` URL, for `meta.location` and `$ref`. */
  baseUrl: string;
  now: () => Date;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** PATCH paths that can change the global identity (email or name), with or without the schema URN. */
const IDENTITY_PATH = /(^|:)(username|name|displayname|emails)\b/i;

/**
 * SCIM Users are the organization's memberships. The global identity (email, name) is shared by
 * every organization a person belongs to, so SCIM changes it only for people who belong to this
 * organization alone; it never deletes it, and it never creates, changes or deactivates an owner.
 */
export function createScimUsers({ db, baseUrl, now }: ScimDeps) {
  async function render(tx: Tx, member: ScimMemberRow): Promise<ScimUserResource> {
    const groups = await repo.groupsOfUsers(tx, [member.user.id]);
    return toUserResource(
      member,
      groups.map((g) => g.group),
      baseUrl,
    );
  }

  /** Loads, changes and renders one member, with the owner rule and audit entries every write shares. */
  async function update(
    sctx: ScimContext,
    userId: string,
    change: (current: ScimUserFields) => ScimUserFields,
    { touchesIdentity = true }: { touchesIdentity?: boolean } = {},
  ): Promise<ScimUserResource> {
    if (!isUuid(userId)) throw scimNotFound("User", userId);
    // Only writes that may rename or re-address someone need the cross-tenant question answered.
    const isShared = touchesIdentity ? await identityIsShared(db, sctx.organizationId, userId) : true;
    return db.withTenant(sctx, async (tx) => {
      const member = await repo.findMember(tx, userId);
      if (!member) throw scimNotFound("User", userId);
      const next = change(userFieldsOf(member));
      return render(tx, await writeUser(tx, sctx, member, next, isShared));
    });
  }

  async function writeUser(
    tx: Tx,
    sctx: ScimContext,
    member: ScimMemberRow,
    next: ScimUserFields,
    isShared: boolean,
  ): Promise<ScimMemberRow> {
    const email = emailOf(next);
    const identity: { email?: string; name?: string } = {};
    if (email !== member.user.email) {
      if (isShared) {
        throw scimError(
          "validation_failed",
          "mutability",
          "This person also belongs to other organizations, so their email address cannot be changed through SCIM",
        );
      }
      identity.email = email;
    }
    const name = next.name.trim();
    // A shared identity keeps its name: another organization's people see it too.
    if (!isShared && name && name !== member.user.name) identity.name = name;
    const membership: Prisma.MembershipUncheckedUpdateInput = {};
    if (next.externalId !== member.externalId) membership.externalId = next.externalId;
    const wasActive = member.status === "active";
    if (next.active !== wasActive) membership.status = next.active ? "active" : "deactivated";
    const changed = [...Object.keys(identity), ...Object.keys(membership)];
    if (changed.length === 0) return member;
    if (member.role === "owner") {
      throw scimError("forbidden", "mutability", "Owners are managed in DevFlow, not through SCIM");
    }

    if (identity.email || identity.name) {
      try {
        await repo.updateUser(tx, member.user.id, identity);
      } catch (error) {
        if (isUniqueViolation(error)) throw uniqueness(`Another person already uses ${email}`);
        throw error;
      }
    }
    let revokedApiTokens = 0;
    if (membership.status === "deactivated") revokedApiTokens = await repo.revokeApiTokensOf(tx, member.user.id, now());
    const updated = await repo.updateMember(tx, member.id, { ...membership, updatedAt: now() });

    const target = { type: "user", id: member.user.id };
    if (membership.status === "deactivated") {
      await audit(tx, sctx, { action: "scim.user_deactivated", target, metadata: { revokedApiTokens } });
    }
    const otherChanges = changed.filter((field) => field !== "status" || next.active);
    if (otherChanges.length > 0) {
      await audit(tx, sctx, {
        action: "scim.user_updated",
        target,
        metadata: { changed: otherChanges.map((f) => (f === "status" ? "active" : f)) },
      });
    }
    return updated;
  }

  return {
    async list(sctx: ScimContext, query: ScimListQuery): Promise<ScimListResponse<ScimUserResource>> {
      const where = query.filter ? userWhere(query.filter) : {};
      return db.withTenant(sctx, async (tx) => {
        if (where === null) return listResponse([], 0, query.startIndex);
        const { total, rows } = await repo.listMembers(tx, where, query.startIndex - 1, query.count);
        const groups = await repo.groupsOfUsers(
          tx,
          rows.map((r) => r.user.id),
        );
        const resources = rows.map((row) =>
          toUserResource(
            row,
            groups.filter((g) => g.userId === row.user.id).map((g) => g.group),
            baseUrl,
          ),
        );
        return listResponse(resources, total, query.startIndex);
      });
    },

    /** A member of this organization (active or not); anyone else is not found. */
    async get(sctx: ScimContext, userId: string): Promise<ScimUserResource> {
      if (!isUuid(userId)) throw scimNotFound("User", userId);
      return db.withTenant(sctx, async (tx) => {
        const member = await repo.findMember(tx, userId);
        if (!member) throw scimNotFound("User", userId);
        return render(tx, member);
      });
    },

    /**
     * Makes the person a member (role `member`). A person DevFlow already knows by email keeps their
     * identity and gains a membership; one who is already a member is a 409 (RFC 7644 §3.3).
     */
    async create(sctx: ScimContext, input: ScimUserInput): Promise<ScimUserResource> {
      const fields = fieldsFromInput(input);
      const email = emailOf(fields);
      try {
        return await db.withTenant(sctx, async (tx) => {
          const existing = await repo.findUserByEmail(tx, email);
          if (existing && (await repo.findMember(tx, existing.id))) {
            throw uniqueness(`${email} is already a member of this organization`);
          }
          const user = existing ?? (await repo.insertUser(tx, { email, name: fields.name }));
          const member = await repo.insertMember(tx, {
            organizationId: sctx.organizationId,
            userId: user.id,
            role: "member",
            status: fields.active ? "active" : "deactivated",
            externalId: fields.externalId,
          });
          await audit(tx, sctx, {
            action: "scim.user_created",
            target: { type: "user", id: user.id },
            metadata: { existingIdentity: existing !== null, active: fields.active, externalId: fields.externalId },
          });
          return render(tx, member);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw uniqueness(`${email} is already a member of this organization`);
        throw error;
      }
    },

    /** PUT: the resource as sent. Attributes left out take their defaults (`active` true, no externalId). */
    replace(sctx: ScimContext, userId: string, input: ScimUserInput): Promise<ScimUserResource> {
      const fields = fieldsFromInput(input);
      return update(sctx, userId, () => fields);
    },

    patch(sctx: ScimContext, userId: string, operations: readonly ScimPatchOperation[]): Promise<ScimUserResource> {
      const touchesIdentity = operations.some((op) => !op.path || IDENTITY_PATH.test(op.path));
      return update(sctx, userId, (current) => applyUserPatch(current, operations), { touchesIdentity });
    },

    /**
     * DELETE deactivates the membership and revokes the person's API tokens here; DevFlow never
     * deletes a person, who may belong to other organizations.
     */
    async remove(sctx: ScimContext, userId: string): Promise<void> {
      await update(sctx, userId, (current) => ({ ...current, active: false }), { touchesIdentity: false });
    },
  };
}

/**
 * Whether the person belongs to another organization too. Asked across tenants (withSystem) before
 * the tenant transaction, because one organization's IdP must not rename another's member.
 */
async function identityIsShared(db: Database, organizationId: string, userId: string): Promise<boolean> {
  const others = await db.withSystem("scim: is a person's identity shared with other organizations", (tx) =>
    tx.membership.count({ where: { userId, organizationId: { not: organizationId } } }),
  );
  return others > 0;
}

/** The DevFlow email: `userName` when it is an address (Okta, Entra UPNs), else the primary email. */
function emailOf(fields: ScimUserFields): string {
  const candidate = EMAIL.test(fields.userName.trim()) ? fields.userName : fields.primaryEmail;
  const email = candidate?.trim().toLowerCase();
  if (!email || !EMAIL.test(email)) {
    throw invalidValue("userName (or a primary email) must be an email address: DevFlow identifies people by email");
  }
  return email;
}

function fieldsFromInput(input: ScimUserInput): ScimUserFields {
  const givenName = input.name?.givenName?.trim() ?? "";
  const familyName = input.name?.familyName?.trim() ?? "";
  const primary = input.emails?.find((e) => e.primary === true) ?? input.emails?.[0];
  const name =
    input.name?.formatted?.trim() ||
    joinName(givenName, familyName) ||
    input.displayName?.trim() ||
    input.userName.split("@")[0]!;
  return {
    userName: input.userName.trim(),
    name,
    givenName,
    familyName,
    primaryEmail: primary?.value ?? null,
    active: input.active ?? true,
    externalId: input.externalId ?? null,
  };
}

/** The membership filter for a SCIM filter, or null when it can match nothing (an id that is not a UUID). */
function userWhere(filter: string): Prisma.MembershipWhereInput | null {
  const { attribute, value } = parseScimFilter(filter, USER_FILTER_ATTRIBUTES);
  if (attribute === "id") return isUuid(value) ? { userId: value } : null;
  if (attribute === "externalid") return { externalId: value };
  return { user: { email: value.trim().toLowerCase() } };
}

export function audit(tx: Tx, sctx: ScimContext, entry: Omit<AuditEntry, "actor" | "ipAddress">): Promise<void> {
  return recordAudit(tx, sctx.organizationId, {
    ...entry,
    metadata: { ...entry.metadata, scimTokenId: sctx.tokenId },
    actor: { type: "scim", userId: null },
    ipAddress: sctx.ipAddress ?? null,
  });
}
