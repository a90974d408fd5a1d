import type {
  ScimGroupInput,
  ScimGroupResource,
  ScimListQuery,
  ScimListResponse,
  ScimPatchOperation,
} from "@devflow/contracts";
import { isUniqueViolation, type Prisma, type Tx } from "@devflow/db";
import { isUuid } from "@devflow/util-core";
import { invalidValue, scimNotFound, uniqueness } from "./scim-errors";
import { GROUP_FILTER_ATTRIBUTES, parseScimFilter } from "./scim-filter";
import { applyGroupPatch, type ScimGroupFields } from "./scim-patch";
import { listResponse, toGroupResource } from "./scim-render";
import * as repo from "./scim.repository";
import type { ScimGroupRow } from "./scim.repository";
import { audit, type ScimContext, type ScimDeps } from "./scim-users";

export interface ScimGroupReadOptions {
  /** Leave `members` out of the answer (`excludedAttributes=members`), as Entra ID asks when it only needs ids. */
  excludeMembers?: boolean;
}

/**
 * SCIM Groups are the organization's groups (the ones private projects are shared with). Members
 * are referred to by user id and must be members of the organization.
 */
export function createScimGroups({ db, baseUrl, now }: ScimDeps) {
  async function render(tx: Tx, group: ScimGroupRow, options: ScimGroupReadOptions = {}): Promise<ScimGroupResource> {
    const members = options.excludeMembers ? undefined : await repo.membersOfGroups(tx, [group.id]);
    return toGroupResource(group, members, baseUrl);
  }

  /** Writes `next` over `group`: rename, externalId and the member diff, then one audit entry. */
  async function writeGroup(tx: Tx, sctx: ScimContext, group: ScimGroupRow, current: string[], next: ScimGroupFields) {
    const added = next.memberIds.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !next.memberIds.includes(id));
    await assertMembers(tx, added);
    const data: Prisma.GroupUncheckedUpdateInput = {};
    if (next.displayName !== group.name) data.name = next.displayName;
    if (next.externalId !== group.externalId) data.externalId = next.externalId;
    const changed = Object.keys(data).length > 0 || added.length > 0 || removed.length > 0;
    if (!changed) return group;
    await repo.addGroupMembers(tx, sctx.organizationId, group.id, added);
    await repo.removeGroupMembers(tx, group.id, removed);
    const updated = await renameOrFail(
      () => repo.updateGroup(tx, group.id, { ...data, updatedAt: now() }),
      next.displayName,
    );
    await audit(tx, sctx, {
      action: "scim.group_updated",
      target: { type: "group", id: group.id },
      metadata: { changed: Object.keys(data), addedMembers: added.length, removedMembers: removed.length },
    });
    return updated;
  }

  async function loadGroup(tx: Tx, groupId: string): Promise<ScimGroupRow> {
    const group = isUuid(groupId) ? await repo.findGroup(tx, groupId) : null;
    if (!group) throw scimNotFound("Group", groupId);
    return group;
  }

  return {
    async list(sctx: ScimContext, query: ScimListQuery): Promise<ScimListResponse<ScimGroupResource>> {
      const where = query.filter ? groupWhere(query.filter) : {};
      const excludeMembers = excludesMembers(query.excludedAttributes);
      return db.withTenant(sctx, async (tx) => {
        if (where === null) return listResponse([], 0, query.startIndex);
        const { total, rows } = await repo.listGroups(tx, where, query.startIndex - 1, query.count);
        const members = excludeMembers
          ? []
          : await repo.membersOfGroups(
              tx,
              rows.map((r) => r.id),
            );
        const resources = rows.map((row) =>
          toGroupResource(row, excludeMembers ? undefined : members.filter((m) => m.groupId === row.id), baseUrl),
        );
        return listResponse(resources, total, query.startIndex);
      });
    },

    get(sctx: ScimContext, groupId: string, options: ScimGroupReadOptions = {}): Promise<ScimGroupResource> {
      return db.withTenant(sctx, async (tx) => render(tx, await loadGroup(tx, groupId), options));
    },

    create(sctx: ScimContext, input: ScimGroupInput): Promise<ScimGroupResource> {
      const memberIds = [...new Set((input.members ?? []).map((m) => m.value))];
      return db.withTenant(sctx, async (tx) => {
        await assertMembers(tx, memberIds);
        const group = await renameOrFail(
          () =>
            repo.insertGroup(tx, {
              organizationId: sctx.organizationId,
              name: input.displayName,
              externalId: input.externalId ?? null,
            }),
          input.displayName,
        );
        await repo.addGroupMembers(tx, sctx.organizationId, group.id, memberIds);
        await audit(tx, sctx, {
          action: "scim.group_created",
          target: { type: "group", id: group.id },
          metadata: { displayName: group.name, members: memberIds.length },
        });
        return render(tx, group);
      });
    },

    /** PUT: name, externalId and the whole member list as sent. */
    replace(sctx: ScimContext, groupId: string, input: ScimGroupInput): Promise<ScimGroupResource> {
      return db.withTenant(sctx, async (tx) => {
        const group = await loadGroup(tx, groupId);
        const current = await repo.memberIdsOfGroup(tx, group.id);
        const next = {
          displayName: input.displayName,
          externalId: input.externalId ?? null,
          memberIds: [...new Set((input.members ?? []).map((m) => m.value))],
        };
        return render(tx, await writeGroup(tx, sctx, group, current, next));
      });
    },

    /** PATCH answers nothing (204): Okta and Entra ID expect no body, and a big group's body is costly. */
    async patch(sctx: ScimContext, groupId: string, operations: readonly ScimPatchOperation[]): Promise<void> {
      await db.withTenant(sctx, async (tx) => {
        const group = await loadGroup(tx, groupId);
        const current = await repo.memberIdsOfGroup(tx, group.id);
        const next = applyGroupPatch(
          { displayName: group.name, externalId: group.externalId, memberIds: current },
          operations,
        );
        await writeGroup(tx, sctx, group, current, next);
      });
    },

    async remove(sctx: ScimContext, groupId: string): Promise<void> {
      await db.withTenant(sctx, async (tx) => {
        const group = await loadGroup(tx, groupId);
        await repo.deleteGroup(tx, group.id);
        await audit(tx, sctx, {
          action: "scim.group_deleted",
          target: { type: "group", id: group.id },
          metadata: { displayName: group.name },
        });
      });
    },
  };
}

/** Every id must name a member of this organization; RLS keeps other organizations' people invisible. */
async function assertMembers(tx: Tx, userIds: string[]): Promise<void> {
  const malformed = userIds.find((id) => !isUuid(id));
  if (malformed !== undefined) throw invalidValue(`Group member ${malformed.slice(0, 64)} is not a user id`);
  const found = new Set(await repo.existingMemberIds(tx, userIds));
  const missing = userIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw invalidValue(
      `Not members of this organization: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? "…" : ""}`,
    );
  }
}

async function renameOrFail<T>(write: () => Promise<T>, displayName: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw uniqueness(`A group named ${displayName} already exists`);
    throw error;
  }
}

function groupWhere(filter: string): Prisma.GroupWhereInput | null {
  const { attribute, value } = parseScimFilter(filter, GROUP_FILTER_ATTRIBUTES);
  if (attribute === "id") return isUuid(value) ? { id: value } : null;
  if (attribute === "externalid") return { externalId: value };
  return { name: { equals: value, mode: "insensitive" } };
}

/** Whether `excludedAttributes` (comma-separated, case-insensitive) names `members`. */
export function excludesMembers(excludedAttributes: string | undefined): boolean {
  return (excludedAttributes ?? "").split(",").some((a) => a.trim().toLowerCase() === "members");
}
