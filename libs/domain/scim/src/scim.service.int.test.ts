import type { ScimPatchOperation } from "@devflow/contracts";
import { ScimPatchRequestSchema, ScimUserInputSchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScimService } from "./scim.service";
import { createScimTokensService } from "./scim-tokens.service";
import type { ScimContext } from "./scim-users";

const BASE_URL = "https://devflow.test/scim/v2";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let scim: ReturnType<typeof createScimService>;
let tokens: ReturnType<typeof createScimTokensService>;
let acmeScim: ScimContext;
let globexScim: ScimContext;

beforeAll(async () => {
  t = await createTestDatabase();
  scim = createScimService(t.db, { baseUrl: BASE_URL });
  tokens = createScimTokensService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  acmeScim = await scimContextFor(acme);
  globexScim = await scimContextFor(globex);
});
afterAll(async () => {
  await t?.drop();
});

async function scimContextFor(org: OrganizationFixture): Promise<ScimContext> {
  const created = await tokens.create(org.ctx, { name: "IdP" });
  const principal = await tokens.authenticate(created.token);
  return { ...principal!, ipAddress: "203.0.113.7" };
}

function userInput(email: string, extra: Record<string, unknown> = {}) {
  return ScimUserInputSchema.parse({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: email, primary: true, type: "work" }],
    active: true,
    ...extra,
  });
}

function ops(...operations: unknown[]): ScimPatchOperation[] {
  return ScimPatchRequestSchema.parse({ Operations: operations }).Operations;
}

const email = () => `scim-${randomUUID().slice(0, 8)}@example.test`;

async function insertApiToken(organizationId: string, userId: string) {
  return t.db.withTenant({ organizationId }, (tx) =>
    tx.apiToken.create({
      data: { organizationId, userId, name: "ci", tokenHash: randomUUID(), prefix: "dfp_x", scopes: ["read"] },
      select: { id: true },
    }),
  );
}

async function membershipOf(organizationId: string, userId: string) {
  return t.db.withTenant({ organizationId }, (tx) =>
    tx.membership.findFirst({ where: { userId }, select: { status: true, role: true, externalId: true } }),
  );
}

async function auditActions(organizationId: string, targetId: string) {
  const rows = await t.db.withTenant({ organizationId }, (tx) =>
    tx.auditLog.findMany({
      where: { targetId },
      orderBy: { createdAt: "asc" },
      select: { action: true, actorType: true, metadata: true },
    }),
  );
  return rows;
}

describe("SCIM users", () => {
  it("creates a member, then finds them by id and by a userName filter", async () => {
    const address = email();
    const created = await scim.users.create(acmeScim, userInput(address, { externalId: "00u-ada" }));
    expect(created).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: address,
      externalId: "00u-ada",
      name: { formatted: "Ada Lovelace", givenName: "Ada", familyName: "Lovelace" },
      displayName: "Ada Lovelace",
      emails: [{ value: address, primary: true, type: "work" }],
      active: true,
      groups: [],
      meta: { resourceType: "User", location: `${BASE_URL}/Users/${created.id}` },
    });
    expect(await membershipOf(acme.organization.id, created.id)).toMatchObject({ role: "member", status: "active" });
    expect(await scim.users.get(acmeScim, created.id)).toEqual(created);

    const byUserName = await scim.users.list(acmeScim, {
      filter: `userName eq "${address.toUpperCase()}"`,
      startIndex: 1,
      count: 100,
    });
    expect(byUserName).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(byUserName.Resources[0]!.id).toBe(created.id);
    const byExternalId = await scim.users.list(acmeScim, {
      filter: 'externalId eq "00u-ada"',
      startIndex: 1,
      count: 10,
    });
    expect(byExternalId.Resources.map((r) => r.id)).toEqual([created.id]);
    const byEmail = await scim.users.list(acmeScim, {
      filter: `emails[type eq "work"].value eq "${address}"`,
      startIndex: 1,
      count: 10,
    });
    expect(byEmail.totalResults).toBe(1);
    expect((await auditActions(acme.organization.id, created.id)).map((a) => [a.action, a.actorType])).toEqual([
      ["scim.user_created", "scim"],
    ]);
  });

  it("pages with startIndex and count, and counts without rows for count=0", async () => {
    const org = await buildOrganization(t.db);
    const sctx = await scimContextFor(org);
    for (let i = 0; i < 3; i++) await scim.users.create(sctx, userInput(email()));
    const all = await scim.users.list(sctx, { startIndex: 1, count: 100 });
    expect(all.totalResults).toBe(4); // the owner and three provisioned people
    const second = await scim.users.list(sctx, { startIndex: 2, count: 2 });
    expect(second.Resources.map((r) => r.id)).toEqual(all.Resources.slice(1, 3).map((r) => r.id));
    expect(await scim.users.list(sctx, { startIndex: 1, count: 0 })).toMatchObject({
      totalResults: 4,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("answers 409 uniqueness for someone already a member, and links a person known elsewhere", async () => {
    const address = email();
    await scim.users.create(acmeScim, userInput(address));
    await expect(scim.users.create(acmeScim, userInput(address.toUpperCase()))).rejects.toMatchObject({
      code: "conflict",
      details: { scimType: "uniqueness" },
    });
    await expect(scim.users.create(acmeScim, userInput(acme.owner.email))).rejects.toMatchObject({
      details: { scimType: "uniqueness" },
    });
    const inGlobex = await scim.users.create(globexScim, userInput(address, { name: { formatted: "Someone Else" } }));
    const inAcme = (await scim.users.list(acmeScim, { filter: `userName eq "${address}"`, startIndex: 1, count: 1 }))
      .Resources[0]!;
    expect(inGlobex.id).toBe(inAcme.id);
    expect(inGlobex.displayName).toBe("Ada Lovelace");
  });

  it("deactivates on Okta's PATCH, revoking the person's API tokens, and reactivates", async () => {
    const user = await scim.users.create(acmeScim, userInput(email()));
    const apiToken = await insertApiToken(acme.organization.id, user.id);
    const patched = await scim.users.patch(acmeScim, user.id, ops({ op: "replace", value: { active: false } }));
    expect(patched.active).toBe(false);
    expect(await membershipOf(acme.organization.id, user.id)).toMatchObject({ status: "deactivated" });
    const revoked = await t.db.withTenant({ organizationId: acme.organization.id }, (tx) =>
      tx.apiToken.findUnique({ where: { id: apiToken.id }, select: { revokedAt: true } }),
    );
    expect(revoked?.revokedAt).toBeInstanceOf(Date);

    const back = await scim.users.patch(acmeScim, user.id, ops({ op: "replace", path: "active", value: true }));
    expect(back.active).toBe(true);
    expect(await membershipOf(acme.organization.id, user.id)).toMatchObject({ status: "active" });
    const actions = (await auditActions(acme.organization.id, user.id)).map((a) => a.action);
    expect(actions).toEqual(["scim.user_created", "scim.user_deactivated", "scim.user_updated"]);
  });

  it("deactivates on Entra ID's PATCH with a string boolean, and on DELETE", async () => {
    const entra = await scim.users.create(acmeScim, userInput(email()));
    const apiToken = await insertApiToken(acme.organization.id, entra.id);
    await scim.users.patch(acmeScim, entra.id, ops({ op: "Replace", path: "active", value: "False" }));
    expect(await membershipOf(acme.organization.id, entra.id)).toMatchObject({ status: "deactivated" });
    const row = await t.db.withTenant({ organizationId: acme.organization.id }, (tx) =>
      tx.apiToken.findUnique({ where: { id: apiToken.id }, select: { revokedAt: true } }),
    );
    expect(row?.revokedAt).not.toBeNull();

    const deleted = await scim.users.create(acmeScim, userInput(email()));
    await scim.users.remove(acmeScim, deleted.id);
    expect(await membershipOf(acme.organization.id, deleted.id)).toMatchObject({ status: "deactivated" });
    const stillThere = await t.db.withSystem("test: the global identity survives", (tx) =>
      tx.user.findUnique({ where: { id: deleted.id }, select: { id: true } }),
    );
    expect(stillThere).not.toBeNull();
  });

  it("leaves API tokens in other organizations alone when deactivating", async () => {
    const address = email();
    const inAcme = await scim.users.create(acmeScim, userInput(address));
    await scim.users.create(globexScim, userInput(address));
    const globexToken = await insertApiToken(globex.organization.id, inAcme.id);
    await scim.users.remove(acmeScim, inAcme.id);
    const row = await t.db.withTenant({ organizationId: globex.organization.id }, (tx) =>
      tx.apiToken.findUnique({ where: { id: globexToken.id }, select: { revokedAt: true } }),
    );
    expect(row?.revokedAt).toBeNull();
    expect(await membershipOf(globex.organization.id, inAcme.id)).toMatchObject({ status: "active" });
  });

  it("replaces with PUT and patches names and externalId", async () => {
    const address = email();
    const user = await scim.users.create(acmeScim, userInput(address));
    const put = await scim.users.replace(
      acmeScim,
      user.id,
      userInput(address, { name: { givenName: "Augusta", familyName: "King" }, externalId: "ext-1" }),
    );
    expect(put).toMatchObject({ displayName: "Augusta King", externalId: "ext-1", active: true });
    const patched = await scim.users.patch(
      acmeScim,
      user.id,
      ops({ op: "Replace", path: "name.familyName", value: "Byron" }, { op: "remove", path: "externalId" }),
    );
    expect(patched.displayName).toBe("Augusta Byron");
    expect(patched.externalId).toBeUndefined();
  });

  it("does not change the email or name of a person who also belongs to another organization", async () => {
    const address = email();
    const user = await scim.users.create(acmeScim, userInput(address));
    await scim.users.create(globexScim, userInput(address));
    await expect(
      scim.users.patch(acmeScim, user.id, ops({ op: "replace", path: "userName", value: email() })),
    ).rejects.toMatchObject({ details: { scimType: "mutability" } });
    const renamed = await scim.users.patch(
      acmeScim,
      user.id,
      ops({ op: "replace", path: "displayName", value: "Mallory" }),
    );
    expect(renamed.displayName).toBe("Ada Lovelace");
  });

  it("changes the email of a person who belongs to this organization only, unless the address is taken", async () => {
    const user = await scim.users.create(acmeScim, userInput(email()));
    const next = email();
    expect(
      (await scim.users.patch(acmeScim, user.id, ops({ op: "replace", path: "userName", value: next }))).userName,
    ).toBe(next);
    await expect(
      scim.users.patch(acmeScim, user.id, ops({ op: "replace", path: "userName", value: acme.owner.email })),
    ).rejects.toMatchObject({ code: "conflict", details: { scimType: "uniqueness" } });
  });

  it("cannot deactivate, change or delete an owner", async () => {
    const ownerId = acme.owner.id;
    await expect(
      scim.users.patch(acmeScim, ownerId, ops({ op: "replace", value: { active: false } })),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      scim.users.patch(acmeScim, ownerId, ops({ op: "add", path: "externalId", value: "x" })),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(scim.users.remove(acmeScim, ownerId)).rejects.toMatchObject({ code: "forbidden" });
    expect(await membershipOf(acme.organization.id, ownerId)).toMatchObject({
      role: "owner",
      status: "active",
      externalId: null,
    });
    expect((await scim.users.get(acmeScim, ownerId)).active).toBe(true);
  });

  it("does not return rows from another tenant (users: a member of another organization only is not found)", async () => {
    const globexOnly = await scim.users.create(globexScim, userInput(email()));
    await expect(scim.users.get(acmeScim, globexOnly.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      scim.users.patch(acmeScim, globexOnly.id, ops({ op: "replace", value: { active: false } })),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(scim.users.replace(acmeScim, globexOnly.id, userInput(globexOnly.userName))).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(scim.users.remove(acmeScim, globexOnly.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(scim.users.get(acmeScim, globex.owner.id)).rejects.toMatchObject({ code: "not_found" });
    const listed = await scim.users.list(acmeScim, {
      filter: `userName eq "${globexOnly.userName}"`,
      startIndex: 1,
      count: 10,
    });
    expect(listed.totalResults).toBe(0);
    const byId = await scim.users.list(acmeScim, { filter: `id eq "${globexOnly.id}"`, startIndex: 1, count: 10 });
    expect(byId.totalResults).toBe(0);
    expect(await membershipOf(globex.organization.id, globexOnly.id)).toMatchObject({ status: "active" });
  });

  it("answers not_found for an id that is not a UUID and invalidFilter for an unsupported filter", async () => {
    await expect(scim.users.get(acmeScim, "nope")).rejects.toMatchObject({ code: "not_found" });
    await expect(scim.users.list(acmeScim, { filter: 'title eq "x"', startIndex: 1, count: 1 })).rejects.toMatchObject({
      details: { scimType: "invalidFilter" },
    });
  });
});

describe("SCIM groups", () => {
  it("creates a group with members, patches members and name, and deletes it", async () => {
    const a = await scim.users.create(acmeScim, userInput(email()));
    const b = await scim.users.create(acmeScim, userInput(email()));
    const group = await scim.groups.create(acmeScim, {
      displayName: `Engineering ${randomUUID().slice(0, 4)}`,
      externalId: "grp-1",
      members: [{ value: a.id }],
    });
    expect(group).toMatchObject({ externalId: "grp-1", members: [{ value: a.id, $ref: `${BASE_URL}/Users/${a.id}` }] });
    expect((await scim.users.get(acmeScim, a.id)).groups).toEqual([
      { value: group.id, display: group.displayName, $ref: `${BASE_URL}/Groups/${group.id}` },
    ]);

    await scim.groups.patch(acmeScim, group.id, ops({ op: "add", path: "members", value: [{ value: b.id }] }));
    await scim.groups.patch(acmeScim, group.id, ops({ op: "remove", path: `members[value eq "${a.id}"]` }));
    await scim.groups.patch(acmeScim, group.id, ops({ op: "replace", path: "displayName", value: "Platform" }));
    const after = await scim.groups.get(acmeScim, group.id);
    expect(after.displayName).toBe("Platform");
    expect(after.members?.map((m) => m.value)).toEqual([b.id]);
    expect((await scim.groups.get(acmeScim, group.id, { excludeMembers: true })).members).toBeUndefined();
    const found = await scim.groups.list(acmeScim, { filter: 'displayName eq "platform"', startIndex: 1, count: 10 });
    expect(found.Resources.map((g) => g.id)).toEqual([group.id]);

    await scim.groups.remove(acmeScim, group.id);
    await expect(scim.groups.get(acmeScim, group.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await auditActions(acme.organization.id, group.id)).map((r) => r.action)).toEqual([
      "scim.group_created",
      "scim.group_updated",
      "scim.group_updated",
      "scim.group_updated",
      "scim.group_deleted",
    ]);
  });

  it("replaces a group with PUT", async () => {
    const a = await scim.users.create(acmeScim, userInput(email()));
    const group = await scim.groups.create(acmeScim, {
      displayName: `Ops ${randomUUID().slice(0, 4)}`,
      members: [{ value: a.id }],
    });
    const put = await scim.groups.replace(acmeScim, group.id, { displayName: "Ops renamed", members: [] });
    expect(put).toMatchObject({ displayName: "Ops renamed", members: [] });
  });

  it("answers uniqueness for a taken name and invalidValue for members outside the organization", async () => {
    const name = `Design ${randomUUID().slice(0, 4)}`;
    await scim.groups.create(acmeScim, { displayName: name });
    await expect(scim.groups.create(acmeScim, { displayName: name })).rejects.toMatchObject({
      code: "conflict",
      details: { scimType: "uniqueness" },
    });
    const outsider = await scim.users.create(globexScim, userInput(email()));
    await expect(
      scim.groups.create(acmeScim, { displayName: `X ${randomUUID()}`, members: [{ value: outsider.id }] }),
    ).rejects.toMatchObject({ details: { scimType: "invalidValue" } });
  });

  it("does not return rows from another tenant (groups)", async () => {
    const secret = await scim.groups.create(globexScim, { displayName: `Globex secret ${randomUUID().slice(0, 4)}` });
    await expect(scim.groups.get(acmeScim, secret.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      scim.groups.patch(acmeScim, secret.id, ops({ op: "replace", path: "displayName", value: "pwned" })),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(scim.groups.remove(acmeScim, secret.id)).rejects.toMatchObject({ code: "not_found" });
    const listed = await scim.groups.list(acmeScim, { startIndex: 1, count: 200 });
    expect(listed.Resources.map((g) => g.id)).not.toContain(secret.id);
  });
});
