import type { RequestContext } from "@devflow/auth";
import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createCommentsService } from "@devflow/domain-comments";
import { createDocumentsService } from "@devflow/domain-documents";
import { createIntegrationClients, createIntegrationsService } from "@devflow/domain-integrations";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { outboxRowToEvent } from "@devflow/events";
import { createResilientCallerRegistry } from "@devflow/integrations";
import { startFakeSlack, type FakeSlack } from "@devflow/integrations/testing";
import { createCapturingMailer, type CapturingMailer } from "@devflow/mail/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommentNotificationHandler } from "./comment-notification.handler";
import { createNotificationsService } from "./notifications.service";

// Slack notifications end to end: a comment mention to someone who chose Slack becomes a direct
// message from the organization's Slack app (its sealed bot token, through the Slack client and its
// breaker) to the Slack user their email address belongs to, on a loopback server speaking Slack's
// documented Web API (users.lookupByEmail, chat.postMessage with a user id as the channel).

const BOT_TOKEN = `xoxb-${randomBytes(12).toString("hex")}`;
const TEXT = "# Retries\n\nRetry three times with backoff.\n";
const anchor = { from: TEXT.indexOf("three"), to: TEXT.indexOf("three") + 5, version: 0 };
const key = new Uint8Array(randomBytes(32));

type Member = RequestContext & { user: { id: string; email: string; name: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let slack: FakeSlack;
let mailer: CapturingMailer;
let mia: Member;
let grace: Member;
const projects = new Map<string, string>();
const warnings: string[] = [];
const breakers = createResilientCallerRegistry({
  timeoutMs: 5_000,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  volumeThreshold: 5,
});

beforeAll(async () => {
  t = await createTestDatabase();
  slack = await startFakeSlack({ token: BOT_TOKEN, channels: [] });
  mailer = createCapturingMailer();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  await connectSlack(acme, BOT_TOKEN);
  await connectSlack(globex, BOT_TOKEN);
  mia = (await acme.addMember("member", "Mia")) as Member;
  grace = await slackOnlyMember(acme, "Grace", "U0GRACE");
});
afterAll(async () => {
  breakers.shutdown();
  await slack?.close();
  await t?.drop();
});

const handler = () =>
  createCommentNotificationHandler(t.db, {
    mailer,
    webBaseUrl: "https://devflow.example",
    slack: (organizationId) =>
      createIntegrationClients(t.db, { encryptionKey: async () => key, breakers, slackApiUrl: slack.apiUrl }).slack(
        organizationId,
      ),
    logger: { warn: (object, message) => void warnings.push(`${JSON.stringify(object)} ${message}`) },
  });

async function connectSlack(org: OrganizationFixture, botToken?: string) {
  await createIntegrationsService(t.db, { encryptionKey: key }).connectSlack(org.ctx, {
    signingSecret: randomBytes(16).toString("hex"),
    ...(botToken && { botToken }),
  });
}

/** A new member who chose Slack alone for mentions; a member of the Slack workspace as `slackUserId` if given. */
async function slackOnlyMember(org: OrganizationFixture, name: string, slackUserId?: string): Promise<Member> {
  const member = (await org.addMember("member", name)) as Member;
  await chooseSlackOnly(member);
  if (slackUserId) slack.users.set(member.user.email, slackUserId);
  return member;
}

async function chooseSlackOnly(member: RequestContext) {
  await createNotificationsService(t.db).updatePreferences(member, {
    items: [{ type: "comment.mentioned", inApp: false, email: false, slack: true }],
  });
}

/** `author` mentions `mentioned` in a new document of `org`; the comment.created event it recorded. */
async function mention(
  org: OrganizationFixture,
  author: RequestContext,
  mentioned: readonly Member[],
  body = "@someone is three enough?",
): Promise<DomainEvent<"comment.created">> {
  let projectId = projects.get(org.organization.id);
  if (!projectId) {
    projectId = (await createProjectsService(t.db).create(org.ctx, { name: "Design", description: "" })).id;
    projects.set(org.organization.id, projectId);
  }
  const document = await createDocumentsService(t.db).create(org.ctx, projectId, {
    title: "Retry policy",
    kind: "rfc",
    content: TEXT,
  });
  const { thread } = await createCommentsService(t.db).createThread(author, document.id, {
    body,
    anchor,
    mentions: mentioned.map((m) => m.user.id),
  });
  const rows = await t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "comment.created" }, orderBy: { createdAt: "desc" }, take: 5 }),
  );
  const row = rows.find((r) => (r.payload as { commentId?: string }).commentId === thread.id)!;
  return outboxRowToEvent({
    id: row.id,
    organization_id: row.organizationId,
    type: row.type,
    version: row.version,
    payload: row.payload,
    created_at: row.createdAt,
  }) as DomainEvent<"comment.created">;
}

const dmsTo = (slackUserId: string) => slack.messages.filter((m) => m.channel === slackUserId);
const lookupsOf = (member: Member) =>
  slack.requests.filter(
    (r) => r.path === "/api/users.lookupByEmail" && (r.body as { email?: string }).email === member.user.email,
  ).length;
const linksOf = (org: OrganizationFixture, member: Member) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.slackUserLink.findMany({
      where: { userId: member.user.id },
      select: { organizationId: true, slackUserId: true },
    }),
  );

describe("Slack notifications", () => {
  it("sends a mention to someone who chose Slack as one direct message, however often the event is delivered", async () => {
    const event = await mention(acme, mia, [grace], "@Grace is three <enough>?");

    await handler().handle(event);
    await handler().handle(event);

    const [dm, ...more] = dmsTo("U0GRACE");
    expect(more).toEqual([]);
    expect(dm!.text).toBe("Mia mentioned you in “Retry policy”");
    const shown = JSON.stringify(dm!.blocks);
    expect(shown).toContain(
      `<https://devflow.example/${acme.organization.slug}/documents/${event.data.documentId}|Open in DevFlow>`,
    );
    expect(shown).toContain("@Grace is three &lt;enough&gt;?");
    expect(lookupsOf(grace)).toBe(1);
    expect(await linksOf(acme, grace)).toEqual([{ organizationId: acme.organization.id, slackUserId: "U0GRACE" }]);
    // Slack only: no bell, no email.
    expect((await createNotificationsService(t.db).list(grace, { limit: 50 })).items).toEqual([]);
    expect(mailer.sent.filter((m) => m.to === grace.user.email)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("reuses the stored Slack user for the next notification, without asking Slack again", async () => {
    const before = dmsTo("U0GRACE").length;

    await handler().handle(await mention(acme, mia, [grace]));

    expect(dmsTo("U0GRACE")).toHaveLength(before + 1);
    expect(lookupsOf(grace)).toBe(1);
  });

  it("sends nothing to someone Slack knows nobody by, without failing, and asks again a day later", async () => {
    const hal = await slackOnlyMember(acme, "Hal");
    const sent = slack.messages.length;

    await handler().handle(await mention(acme, mia, [hal]));
    await handler().handle(await mention(acme, mia, [hal]));

    expect(slack.messages).toHaveLength(sent);
    expect(lookupsOf(hal)).toBe(1);
    expect(await linksOf(acme, hal)).toEqual([{ organizationId: acme.organization.id, slackUserId: null }]);

    // Hal joins the workspace; a day after Slack's answer it is asked again.
    slack.users.set(hal.user.email, "U0HAL");
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.slackUserLink.update({
        where: { organizationId_userId: { organizationId: acme.organization.id, userId: hal.user.id } },
        data: { lookedUpAt: new Date(Date.now() - 25 * 60 * 60 * 1000) },
      }),
    );
    await handler().handle(await mention(acme, mia, [hal]));
    expect(lookupsOf(hal)).toBe(2);
    expect(dmsTo("U0HAL")).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it("retries a message Slack could not take, and sends it once when Slack is back", async () => {
    const event = await mention(acme, mia, [grace]);
    const before = dmsTo("U0GRACE").length;
    slack.failNext({ status: 503, body: "Service Unavailable" });

    await expect(handler().handle(event)).rejects.toThrow(/1 of 1 Slack notifications/);
    expect(dmsTo("U0GRACE")).toHaveLength(before);
    await handler().handle(event);
    await handler().handle(event);

    expect(dmsTo("U0GRACE")).toHaveLength(before + 1);
    expect(warnings.splice(0).join("\n")).toContain("could not send a Slack notification");
  });

  it("skips quietly an organization whose Slack app has no bot token", async () => {
    const initech = await buildOrganization(t.db, "Initech");
    await connectSlack(initech);
    const ivy = await slackOnlyMember(initech, "Ivy", "U0IVY");
    const requests = slack.requests.length;

    await handler().handle(await mention(initech, initech.ctx, [ivy]));

    expect(slack.requests).toHaveLength(requests);
    expect(warnings).toEqual([]);
  });

  it("skips for good what Slack refuses for good: a revoked bot token, a Slack user that is gone", async () => {
    const umbrella = await buildOrganization(t.db, "Umbrella");
    const revoked = `xoxb-${randomBytes(12).toString("hex")}`;
    await connectSlack(umbrella, revoked);
    const uma = await slackOnlyMember(umbrella, "Uma", "U0UMA");
    const ursa = await slackOnlyMember(umbrella, "Ursa", "U0URSA");
    const requests = slack.requests.length;

    await handler().handle(await mention(umbrella, umbrella.ctx, [uma, ursa]));

    // Slack said invalid_auth once; the second recipient was not tried with the same token.
    expect(slack.requests).toHaveLength(requests + 1);
    expect(slack.messages.filter((m) => ["U0UMA", "U0URSA"].includes(m.channel))).toEqual([]);
    const logged = warnings.splice(0).join("\n");
    expect(logged).toContain("invalid_auth");
    expect(logged).not.toContain(revoked);
    expect(logged).not.toContain("@example.test");

    // Grace left the Slack workspace: her message is refused, skipped, and her link forgotten.
    slack.users.delete(grace.user.email);
    await handler().handle(await mention(acme, mia, [grace]));
    expect(warnings.splice(0).join("\n")).toContain("channel_not_found");
    expect(await linksOf(acme, grace)).toEqual([]);
    await handler().handle(await mention(acme, mia, [grace]));
    expect(await linksOf(acme, grace)).toEqual([{ organizationId: acme.organization.id, slackUserId: null }]);
    slack.users.set(grace.user.email, "U0GRACE");
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    // Sam is in both organizations, each with its own Slack workspace; Globex knows him as another user.
    const sam = (await acme.addMember("member", "Sam")) as Member;
    await createOrganizationsService(t.db).addMember(globex.ctx, sam.user.id, "member");
    await chooseSlackOnly(sam);
    slack.users.set(sam.user.email, "U0SAM");
    slack.users.set("sam-at-globex@globex.test", "U0GLOBEXSAM");
    await t.db.withTenant(globex.ctx, (tx) =>
      tx.slackUserLink.create({
        data: {
          organizationId: globex.organization.id,
          userId: sam.user.id,
          slackUserId: "U0GLOBEXSAM",
          lookedUpAt: new Date(),
        },
      }),
    );

    await handler().handle(await mention(acme, mia, [sam]));

    // Acme asked its own workspace rather than use Globex's answer.
    expect(lookupsOf(sam)).toBe(1);
    expect(dmsTo("U0SAM")).toHaveLength(1);
    expect(dmsTo("U0GLOBEXSAM")).toEqual([]);
    expect(await linksOf(acme, sam)).toEqual([{ organizationId: acme.organization.id, slackUserId: "U0SAM" }]);
    expect(await linksOf(globex, sam)).toEqual([
      { organizationId: globex.organization.id, slackUserId: "U0GLOBEXSAM" },
    ]);
    const acmeSees = await t.db.withTenant(acme.ctx, (tx) => tx.slackUserLink.findMany());
    expect(new Set(acmeSees.map((l) => l.organizationId))).toEqual(new Set([acme.organization.id]));
  });
});
