import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignInAudit } from "./sign-in-audit";
import { createSignInPolicyReader } from "./sign-in-policy";
import { createVerificationTokenStore, MAX_PENDING_LINKS } from "./verification-tokens";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("verification tokens", () => {
  it("can be used once, and only for the email they were sent to", async () => {
    const store = createVerificationTokenStore(t.db);
    await store.create({ identifier: "ada@example.com", tokenHash: "hash-once", expiresAt: inAnHour() });
    expect(await store.use("grace@example.com", "hash-once")).toBeNull();
    expect(await store.use("ada@example.com", "hash-once")).toMatchObject({ identifier: "ada@example.com" });
    expect(await store.use("ada@example.com", "hash-once")).toBeNull();
  });

  it("refuses an expired link", async () => {
    const store = createVerificationTokenStore(t.db);
    await store.create({
      identifier: "old@example.com",
      tokenHash: "hash-old",
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await store.use("old@example.com", "hash-old")).toBeNull();
  });

  it(`keeps at most ${MAX_PENDING_LINKS} unused links per email, dropping the oldest`, async () => {
    const store = createVerificationTokenStore(t.db);
    for (let i = 0; i < MAX_PENDING_LINKS + 2; i++) {
      await store.create({ identifier: "many@example.com", tokenHash: `hash-many-${i}`, expiresAt: inAnHour() });
    }
    expect(await store.use("many@example.com", "hash-many-0")).toBeNull();
    expect(await store.use("many@example.com", `hash-many-${MAX_PENDING_LINKS + 1}`)).not.toBeNull();
  });
});

describe("sign-in policy", () => {
  it("reads whether an organization enforces SSO, inside that organization only", async () => {
    const acme = await buildOrganization(t.db, "Acme");
    const organizationId = acme.organization.id;
    await t.db.withTenant({ organizationId }, (tx) =>
      tx.organization.update({ where: { id: organizationId }, data: { enforceSso: true } }),
    );
    const policy = createSignInPolicyReader(t.db);
    expect(await policy.forOrganization(organizationId)).toMatchObject({ name: "Acme", enforcesSso: true });
    expect(await policy.forOrganization("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("answers a member's role and the policy together, and nothing for outsiders or deactivated members", async () => {
    const acme = await buildOrganization(t.db, "Acme Access");
    const globex = await buildOrganization(t.db, "Globex Access");
    const member = await acme.addMember("member");
    const policy = createSignInPolicyReader(t.db);
    expect(await policy.accessOf(member.user.id, acme.organization.id)).toMatchObject({
      role: "member",
      policy: { name: "Acme Access", enforcesSso: false },
    });
    expect(await policy.accessOf(member.user.id, globex.organization.id)).toBeNull();
    await t.db.withTenant({ organizationId: acme.organization.id }, (tx) =>
      tx.membership.updateMany({ where: { userId: member.user.id }, data: { status: "deactivated" } }),
    );
    expect(await policy.accessOf(member.user.id, acme.organization.id)).toBeNull();
  });
});

describe("sign-in audit", () => {
  it("records sign-ins and refused sign-ins in the organization's log only", async () => {
    const acme = await buildOrganization(t.db, "Acme Audit");
    const globex = await buildOrganization(t.db, "Globex Audit");
    const audit = createSignInAudit(t.db);
    await audit.succeeded({
      organizationId: acme.organization.id,
      userId: acme.owner.id,
      method: "sso",
      ipAddress: "10.0.0.1",
    });
    await audit.failed({ organizationId: acme.organization.id, userId: null, method: "email", reason: "sso_required" });
    const actions = (organizationId: string) =>
      t.db.withTenant({ organizationId }, (tx) =>
        tx.auditLog.findMany({ where: { action: { startsWith: "auth." } }, orderBy: { createdAt: "asc" } }),
      );
    const rows = await actions(acme.organization.id);
    expect(rows.map((r) => [r.action, r.metadata])).toEqual([
      ["auth.sign_in", { method: "sso" }],
      ["auth.sign_in_failed", { method: "email", reason: "sso_required" }],
    ]);
    expect(await actions(globex.organization.id)).toEqual([]);
  });
});
