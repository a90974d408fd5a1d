import type { Database } from "@devflow/db";
import { applyOnce, type EventHandler } from "@devflow/events";
import type { Logger } from "@devflow/observability";
import { openBotToken } from "../webhook-secrets";
import { escapeMrkdwn } from "./slack-text";

export interface DocChangeNotifierDeps {
  /** ENCRYPTION_KEY, which sealed the Slack bot tokens. */
  encryptionKey: () => Promise<Uint8Array>;
  /** Posts to a channel with an organization's bot token (the Slack client, behind its breaker). */
  postMessage(organizationId: string, token: string, channel: string, text: string): Promise<void>;
  /** The web app's address, for links to the documents. */
  webBaseUrl: string;
  logger?: Logger;
}

type DocChange = "document.created" | "document.archived";

/**
 * Tells each connected Slack channel about new and archived docs: one handler per event type, so
 * each has its own queue and retries. Only documents in projects the whole organization can see
 * are announced (a channel is not a private project's audience). Slack cannot join a database
 * transaction, so each channel is posted to first and marked done after (per channel, so a retry
 * after one channel failed does not post to the others again): a crash between the two may post
 * twice, never zero times.
 */
export function createDocChangeNotifiers(db: Database, deps: DocChangeNotifierDeps): EventHandler[] {
  return [notifier(db, deps, "document.created"), notifier(db, deps, "document.archived")] as EventHandler[];
}

function notifier<T extends DocChange>(db: Database, deps: DocChangeNotifierDeps, type: T): EventHandler<T> {
  const name = type === "document.created" ? "slack-doc-created" : "slack-doc-archived";
  return {
    name,
    type,
    async handle(event) {
      const ctx = { organizationId: event.organizationId };
      const actorId = "createdById" in event.data ? event.data.createdById : event.data.archivedById;
      const found = await db.withTenant(ctx, async (tx) => {
        const document = await tx.document.findUnique({
          where: { id: event.data.documentId },
          select: { id: true, title: true, project: { select: { name: true, visibility: true } } },
        });
        if (!document || document.project.visibility !== "organization") return null;
        const [organization, actor, integrations, done] = await Promise.all([
          tx.organization.findUnique({ where: { id: event.organizationId }, select: { slug: true } }),
          actorId
            ? tx.membership.findFirst({ where: { userId: actorId }, select: { user: { select: { name: true } } } })
            : null,
          tx.integration.findMany({ where: { provider: "slack", enabled: true }, select: { id: true, config: true } }),
          tx.processedEvent.findMany({ where: { eventId: event.id, handler: { startsWith: `${name}:` } } }),
        ]);
        return {
          document,
          slug: organization?.slug ?? "",
          actor: actor?.user.name ?? null,
          done: new Set(done.map((d) => d.handler)),
          channels: integrations.flatMap((row) => {
            const config = (row.config ?? {}) as { botToken?: string; notifyChannel?: string };
            return config.botToken && config.notifyChannel
              ? [{ integrationId: row.id, sealedToken: config.botToken, channel: config.notifyChannel }]
              : [];
          }),
        };
      });
      if (!found || found.channels.length === 0) return;
      const url = `${deps.webBaseUrl.replace(/\/$/, "")}/${found.slug}/documents/${found.document.id}`;
      const title = escapeMrkdwn(found.document.title).replace(/\|/g, "¦");
      const project = escapeMrkdwn(found.document.project.name);
      const by = found.actor ? ` by ${escapeMrkdwn(found.actor)}` : "";
      const text =
        type === "document.created"
          ? `:page_facing_up: <${url}|${title}> was created in *${project}*${by}`
          : `:file_cabinet: <${url}|${title}> was archived in *${project}*${by}`;
      const key = await deps.encryptionKey();
      for (const target of found.channels) {
        const marker = `${name}:${target.integrationId}`;
        if (found.done.has(marker)) continue;
        const token = openBotToken(key, target.integrationId, target.sealedToken);
        await deps.postMessage(event.organizationId, token, target.channel, text);
        await applyOnce(db, marker, event, async () => {});
        deps.logger?.info({ handler: name, integrationId: target.integrationId }, "doc change posted to Slack");
      }
    },
  };
}
