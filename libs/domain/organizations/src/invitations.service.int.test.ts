import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createCapturingMailer, type CapturingMailer } from "@devflow/mail/testing";
import { buildOrganization } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInvitationsService } from "./invitations.service";
import { createOrganizationsService } from "./organizations.service";

const PUBLIC_URL = "https://devflow.example";
const DAY_MS = 24 * 60 * 60 * 1000;

let t: TestDatabase;
let mailer: CapturingMailer;
let clock: Date;
let invitations: ReturnType<typeof createInvitationsService>;
let organizations: ReturnType<typeof createOrganizationsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  organizations = createOrganizationsService(t.db);
});
beforeEach(() => {
  mailer = createCapturingMailer();
  clock = new Date();
  invitations = createInvitationsService(t.db, { mailer, publicUrl: `${PUBLIC_URL}/`, now: () => clock });
});
afterAll(async () => {
  await t?.drop();
});

function tokenSentTo(email: string): string {
  const link = mailer.linksTo(email).find((l) => l.startsWith(`${PUBLIC_URL}/invite/`));
  if (!link) throw new Error(`no invitation link was sent to ${email}`);
  return link.slice(`${PUBLIC_URL}/invite/`.length);
}

function newEmail(name = "invitee") {
  return `${name}-${randomUUID()}@example.test`;
}

function auditOf(organizationId: string) {
  return t.db.withTenant({ organizationId }, (tx) =>
    tx.auditLog.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } }),
  );
}

describe("creating invitations", () => {
  it("emails a one-time link and stores only the token's SHA-256", async () => {
    const acme = await buildOrganization(t.db, "Acme & Co");
    const email = newEmail("Grace");
    const dto = await invitations.create(acme.ctx, { email: email.toUpperCase(), role: "admin" });
    expect(dto).toMatchObject({
      email: email.toLowerCase(),
      role: "admin",
      invitedBy: { id: acme.owner.id, name: "Owner" },
    });
    expect(new Date(dto.expiresAt).getTime() - clock.getTime()).toBe(7 * DAY_MS);

    const [message] = mailer.sent;
    expect(message).toMatchObject({ to: email.toLowerCase(), subject: "Owner invited you to Acme & Co on DevFlow" });
    expect(message?.html).toContain("Acme &amp; Co");
    const token = tokenSentTo(email);
    expect(token).toMatch(new RegExp(`^${acme.organization.id.replaceAll("-", "")}\\.[A-Za-z0-9_-]{43}$`));

    const stored = await t.db.withTenant({ organizationId: acme.organization.id }, (tx) =>
      tx.invitation.findMany({ select: { tokenHash: true } }),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.tokenHash).not.toContain(token.split(".")[1]);
    expect((await auditOf(acme.organization.id)).find((e) => e.action === "invitation.created")).toMatchObject({
      actorUserId: acme.owner.id,
      targetId: dto.id,
      metadata: { role: "admin" },
    });
  });

  it("does not let anyone invite above their own role, and members not at all", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const member = await acme.addMember("member");
    const viewer = await acme.addMember("viewer");
    await expect(invitations.create(admin, { email: newEmail(), role: "owner" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(invitations.create(member, { email: newEmail(), role: "viewer" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(invitations.create(viewer, { email: newEmail(), role: "viewer" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(invitations.listPending(member)).rejects.toMatchObject({ code: "forbidden" });
    await expect(invitations.create(admin, { email: newEmail(), role: "admin" })).resolves.toMatchObject({
      role: "admin",
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it("revokes the earlier pending invitation when the same email is invited again", async () => {
    const acme = await buildOrganization(t.db);
    const email = newEmail();
    const first = await invitations.create(acme.ctx, { email, role: "member" });
    const firstToken = tokenSentTo(email);
    const second = await invitations.create(acme.ctx, { email, role: "viewer" });
    expect((await invitations.listPending(acme.ctx)).map((i) => i.id)).toEqual([second.id]);
    expect((await invitations.preview(firstToken)).status).toBe("revoked");
    const revoked = (await auditOf(acme.organization.id)).find((e) => e.action === "invitation.revoked");
    expect(revoked).toMatchObject({ targetId: first.id, metadata: { reason: "replaced" } });
  });

  it("refuses to invite someone who is already a member", async () => {
    const acme = await buildOrganization(t.db);
    const member = await acme.addMember("member");
    await expect(
      invitations.create(acme.ctx, { email: member.user.email.toUpperCase(), role: "admin" }),
    ).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "already_member" },
    });
  });

  it("caps pending invitations at 100 per organization", async () => {
    const acme = await buildOrganization(t.db);
    for (let i = 0; i < 100; i++) await invitations.create(acme.ctx, { email: newEmail(`bulk${i}`), role: "viewer" });
    await expect(invitations.create(acme.ctx, { email: newEmail(), role: "viewer" })).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "invitation_limit_reached" },
    });
    // Expired invitations stop counting.
    clock = new Date(clock.getTime() + 8 * DAY_MS);
    await expect(invitations.create(acme.ctx, { email: newEmail(), role: "viewer" })).resolves.toBeDefined();
  });

  it("keeps the invitation and says so when the email cannot be sent", async () => {
    const acme = await buildOrganization(t.db);
    mailer.failWith(new Error("connect ECONNREFUSED"));
    await expect(invitations.create(acme.ctx, { email: newEmail(), role: "member" })).rejects.toMatchObject({
      code: "unavailable",
    });
    expect(await invitations.listPending(acme.ctx)).toHaveLength(1);
  });
});

describe("accepting invitations", () => {
  it("makes the invitee a member with the invited role, once, and records it", async () => {
    const acme = await buildOrganization(t.db);
    const email = newEmail();
    const invitation = await invitations.create(acme.ctx, { email, role: "admin" });
    const token = tokenSentTo(email);
    const user = await organizations.ensureUser({ email: email.toUpperCase(), name: "Invitee" });

    expect(await invitations.preview(token)).toMatchObject({
      organization: { id: acme.organization.id, slug: acme.organization.slug },
      role: "admin",
      status: "pending",
    });
    const joined = await invitations.accept(token, user.id);
    expect(joined).toMatchObject({ id: acme.organization.id, slug: acme.organization.slug, role: "admin" });
    expect(await organizations.getActor(user.id, acme.organization.id)).toEqual({ userId: user.id, role: "admin" });
    expect((await invitations.preview(token)).status).toBe("used");
    expect(await invitations.listPending(acme.ctx)).toEqual([]);

    const log = await auditOf(acme.organization.id);
    expect(log.find((e) => e.action === "invitation.accepted")).toMatchObject({
      actorUserId: user.id,
      targetId: invitation.id,
    });
    expect(log.find((e) => e.action === "member.added" && e.targetId === user.id)).toMatchObject({
      actorUserId: user.id,
      metadata: { role: "admin", via: "invitation" },
    });

    await expect(invitations.accept(token, user.id)).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "invitation_used" },
    });
  });

  it("refuses an expired invitation", async () => {
    const acme = await buildOrganization(t.db);
    const email = newEmail();
    await invitations.create(acme.ctx, { email, role: "member" });
    const user = await organizations.ensureUser({ email, name: "Late" });
    clock = new Date(clock.getTime() + 7 * DAY_MS + 1);
    await expect(invitations.accept(tokenSentTo(email), user.id)).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "invitation_expired" },
    });
    expect(await organizations.getActor(user.id, acme.organization.id)).toBeNull();
  });

  it("refuses a revoked invitation", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const email = newEmail();
    const invitation = await invitations.create(acme.ctx, { email, role: "member" });
    await invitations.revoke(admin, invitation.id);
    const user = await organizations.ensureUser({ email, name: "Revoked" });
    await expect(invitations.accept(tokenSentTo(email), user.id)).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "invitation_revoked" },
    });
    await expect(invitations.revoke(admin, invitation.id)).rejects.toMatchObject({
      details: { reason: "invitation_revoked" },
    });
    expect((await auditOf(acme.organization.id)).find((e) => e.action === "invitation.revoked")).toMatchObject({
      actorUserId: admin.user.id,
      targetId: invitation.id,
    });
  });

  it("refuses a signed-in user whose email is not the invited one", async () => {
    const acme = await buildOrganization(t.db);
    const email = newEmail();
    await invitations.create(acme.ctx, { email, role: "member" });
    const someoneElse = await organizations.ensureUser({ email: newEmail("other"), name: "Other" });
    await expect(invitations.accept(tokenSentTo(email), someoneElse.id)).rejects.toMatchObject({
      code: "forbidden",
      details: { reason: "invitation_email_mismatch" },
    });
    expect(await organizations.getActor(someoneElse.id, acme.organization.id)).toBeNull();
    expect((await invitations.preview(tokenSentTo(email))).status).toBe("pending");
  });

  it("refuses unknown, malformed and tampered tokens alike", async () => {
    const acme = await buildOrganization(t.db);
    const globex = await buildOrganization(t.db);
    const email = newEmail();
    await invitations.create(acme.ctx, { email, role: "member" });
    const user = await organizations.ensureUser({ email, name: "Tamperer" });
    const [, secret] = tokenSentTo(email).split(".");
    const moved = `${globex.organization.id.replaceAll("-", "")}.${secret}`;
    const flipped = tokenSentTo(email).slice(0, -1) + (tokenSentTo(email).endsWith("A") ? "B" : "A");
    for (const token of ["nope", moved, flipped, `${randomUUID().replaceAll("-", "")}.${secret}`]) {
      await expect(invitations.accept(token, user.id)).rejects.toMatchObject({
        code: "not_found",
        details: { reason: "invitation_not_found" },
      });
      await expect(invitations.preview(token)).rejects.toMatchObject({ code: "not_found" });
    }
    expect(await organizations.getActor(user.id, globex.organization.id)).toBeNull();
  });

  it("tells an existing member they already belong", async () => {
    const acme = await buildOrganization(t.db);
    const email = newEmail();
    await invitations.create(acme.ctx, { email, role: "member" });
    const user = await organizations.ensureUser({ email, name: "Quick" });
    await organizations.addMember(acme.ctx, user.id, "viewer");
    await expect(invitations.accept(tokenSentTo(email), user.id)).rejects.toMatchObject({
      details: { reason: "already_member" },
    });
  });
});

describe("managing invitations across organizations", () => {
  it("does not list or revoke another organization's invitations", async () => {
    const acme = await buildOrganization(t.db);
    const globex = await buildOrganization(t.db);
    const invitation = await invitations.create(globex.ctx, { email: newEmail(), role: "member" });
    expect(await invitations.listPending(acme.ctx)).toEqual([]);
    await expect(invitations.revoke(acme.ctx, invitation.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await invitations.listPending(globex.ctx)).map((i) => i.id)).toEqual([invitation.id]);
  });

  it("lets only owners revoke an invitation to become an owner", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const invitation = await invitations.create(acme.ctx, { email: newEmail(), role: "owner" });
    await expect(invitations.revoke(admin, invitation.id)).rejects.toMatchObject({ code: "forbidden" });
    await invitations.revoke(acme.ctx, invitation.id);
  });
});
