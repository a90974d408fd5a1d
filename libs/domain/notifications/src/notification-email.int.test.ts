import type { AddressInfo } from "node:net";
import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createCommentsService } from "@devflow/domain-comments";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { outboxRowToEvent } from "@devflow/events";
import { createMailer } from "@devflow/mail";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommentNotificationHandler } from "./comment-notification.handler";
import { createShareNotificationHandler } from "./share-notification.handler";

// The email copies of a mention and of a shared project, through nodemailer to a real SMTP server
// on a loopback port.

let t: TestDatabase;
let acme: OrganizationFixture;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme & Co");
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await t?.drop();
});

async function startSmtpServer() {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the mention email", () => {
  it("reaches the mentioned member with the subject and the document's link, every user text escaped", async () => {
    const author = await acme.addMember("member", "Ada <b>Lovelace</b>");
    const grace = await acme.addMember("member", "Grace");
    const projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
    const documentId = (
      await createDocumentsService(t.db).create(acme.ctx, projectId, {
        title: 'Retries <i>"now"</i>',
        kind: "rfc",
        content: "Retry three times.\n",
      })
    ).id;
    const { thread } = await createCommentsService(t.db).createThread(author, documentId, {
      body: "<script>alert('x')</script> @Grace is three & enough?",
      anchor: { from: 0, to: 5, version: 0 },
      mentions: [grace.user.id],
    });
    const [row] = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.findMany({ where: { type: "comment.created" }, orderBy: { createdAt: "desc" }, take: 1 }),
    );
    const event = outboxRowToEvent({
      id: row!.id,
      organization_id: row!.organizationId,
      type: row!.type,
      version: row!.version,
      payload: row!.payload,
      created_at: row!.createdAt,
    }) as DomainEvent<"comment.created">;
    expect(event.data.commentId).toBe(thread.id);

    const lines: string[] = [];
    const logger = { info: (object: object, message: string) => void lines.push(JSON.stringify(object) + message) };
    const warnings: string[] = [];
    const handler = createCommentNotificationHandler(t.db, {
      mailer: createMailer({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "DevFlow <no-reply@devflow.test>",
        logger,
      }),
      webBaseUrl: "https://devflow.example",
      logger: { warn: (object, message) => void warnings.push(JSON.stringify(object) + message) },
    });
    await handler.handle(event);
    await handler.handle(event);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual([grace.user.email]);
    const mail = await simpleParser(smtp.received[0]!.raw);
    const link = `https://devflow.example/${acme.organization.slug}/documents/${documentId}`;
    expect(mail.subject).toBe('Ada <b>Lovelace</b> mentioned you in “Retries <i>"now"</i>”');
    expect(mail.from?.value[0]?.address).toBe("no-reply@devflow.test");
    expect(mail.headers.get("to")).toMatchObject({ value: [{ address: grace.user.email }] });
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("> <script>alert('x')</script> @Grace is three & enough?");
    const html = String(mail.html);
    expect(html).toContain(`href="${link}"`);
    expect(html).toContain(`href="https://devflow.example/${acme.organization.slug}/settings/notifications"`);
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; @Grace is three &amp; enough?");
    expect(html).toContain("Ada &lt;b&gt;Lovelace&lt;/b&gt;");
    expect(html).toContain("Retries &lt;i&gt;&quot;now&quot;&lt;/i&gt;");
    expect(html).not.toMatch(/<script|<b>|<i>/);
    // The mailer said an email went out; no log line names who it went to.
    expect(lines).toHaveLength(1);
    expect([...lines, ...warnings].join("\n")).not.toContain(grace.user.email);
    expect([...lines, ...warnings].join("\n")).not.toContain("@example.test");
  });
});

describe("the shared-project email", () => {
  it("reaches the person given access with the subject and the project's link, every user text escaped", async () => {
    const sharer = await acme.addMember("member", "Bo <i>Sharer</i>");
    const grace = await acme.addMember("member", "Grace");
    const projectId = (
      await createProjectsService(t.db).create(sharer, {
        name: 'Payments <b>"v2"</b>',
        description: "Refunds & <script>chargebacks</script>",
        visibility: "private",
        userIds: [grace.user.id],
      })
    ).id;
    const [row] = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.findMany({ where: { type: "project.shared" }, orderBy: { createdAt: "desc" }, take: 1 }),
    );
    const event = outboxRowToEvent({
      id: row!.id,
      organization_id: row!.organizationId,
      type: row!.type,
      version: row!.version,
      payload: row!.payload,
      created_at: row!.createdAt,
    }) as DomainEvent<"project.shared">;
    expect(event.data).toEqual({ projectId, sharedById: sharer.user.id, userIds: [grace.user.id] });

    const before = smtp.received.length;
    const lines: string[] = [];
    const handler = createShareNotificationHandler(t.db, {
      mailer: createMailer({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "DevFlow <no-reply@devflow.test>",
        logger: { info: (object: object, message: string) => void lines.push(JSON.stringify(object) + message) },
      }),
      webBaseUrl: "https://devflow.example",
    });
    await handler.handle(event);
    await handler.handle(event);

    const received = smtp.received.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([grace.user.email]);
    const mail = await simpleParser(received[0]!.raw);
    const link = `https://devflow.example/${acme.organization.slug}/projects/${projectId}`;
    expect(mail.subject).toBe('Bo <i>Sharer</i> shared “Payments <b>"v2"</b>” with you');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("> Refunds & <script>chargebacks</script>");
    const html = String(mail.html);
    expect(html).toContain(`href="${link}"`);
    expect(html).toContain("Bo &lt;i&gt;Sharer&lt;/i&gt;");
    expect(html).toContain("Payments &lt;b&gt;&quot;v2&quot;&lt;/b&gt;");
    expect(html).toContain("Refunds &amp; &lt;script&gt;chargebacks&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(lines.join("\n")).not.toContain(grace.user.email);
  });
});
