import { can, type RequestContext } from "@devflow/auth";
import type {
  ConnectGitHubTokenInput,
  ConnectJiraInput,
  ConnectLinearInput,
  ConnectSlackInput,
  FailedJobDto,
  IntegrationDto,
  RetryFailedJobInput,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { listDeadLetters, retryDeadLetter, transactionSql, type EventBus } from "@devflow/events";
import { forbidden, notFound } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { newWebhookSecret, sealBotToken, sealCredential, sealWebhookSecret } from "./webhook-secrets";

export interface IntegrationsServiceOptions {
  /** ENCRYPTION_KEY: seals the integrations' secrets at rest. */
  encryptionKey: Uint8Array;
  /**
   * Where failed jobs are kept: the event bus's own dead letters (the Pub/Sub transport files them
   * in event_dead_letters). By default the Postgres transport's, read in the caller's transaction.
   */
  deadLetters?: Pick<EventBus, "listDeadLetters" | "retryDeadLetter">;
}

export interface ConnectedWebhook {
  integrationId: string;
  /** Shown once, to paste into the provider's webhook settings; stored only sealed. */
  secret: string;
  /** Path on the worker that receives this integration's deliveries. */
  path: string;
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;

/**
 * Connecting an organization's outside tools, and the jobs they feed. Admins only; secrets are
 * sealed with ENCRYPTION_KEY.
 */
export function createIntegrationsService(db: Database, { encryptionKey, deadLetters }: IntegrationsServiceOptions) {
  const requireAdmin = (ctx: RequestContext) => {
    if (!can(ctx.actor, "integrations:manage")) throw forbidden("Only admins can manage integrations");
  };
  async function connectCredential(
    ctx: RequestContext,
    provider: "github" | "jira" | "linear",
    config: Record<string, string>,
    credential: string,
  ): Promise<{ integrationId: string }> {
    requireAdmin(ctx);
    const id = randomUUID();
    await db.withTenant(ctx, (tx) =>
      tx.integration.create({
        data: {
          id,
          organizationId: ctx.organizationId,
          provider,
          config: { ...config, connectedById: ctx.actor.userId, credential: sealCredential(encryptionKey, id, credential) },
        },
      }),
    );
    return { integrationId: id };
  }
  return {
    /** The organization's integrations, newest first, with how busy each has been. */
    async list(ctx: RequestContext): Promise<IntegrationDto[]> {
      requireAdmin(ctx);
      return db.withTenant(ctx, async (tx) => {
        const rows = await tx.$queryRawUnsafe<
          {
            id: string;
            provider: IntegrationDto["provider"];
            config: { kind?: string; notifyChannel?: string } | null;
            enabled: boolean;
            created_at: Date;
            deliveries_last_day: number;
            last_delivery_at: Date | null;
          }[]
        >(
          `SELECT i.id::text AS id, i.provider::text AS provider, i.config, i.enabled, i.created_at,
                  (SELECT count(*)::int FROM webhook_deliveries w
                    WHERE w.integration_id = i.id AND w.received_at > now() - interval '1 day') AS deliveries_last_day,
                  (SELECT max(w.received_at) FROM webhook_deliveries w WHERE w.integration_id = i.id) AS last_delivery_at
             FROM integrations i
            ORDER BY i.created_at DESC
            LIMIT 200`,
        );
        return rows.map((r) => ({
          id: r.id,
          provider: r.provider,
          kind: r.config?.kind ?? "webhook",
          enabled: r.enabled,
          createdAt: r.created_at.toISOString(),
          deliveriesLastDay: r.deliveries_last_day,
          lastDeliveryAt: r.last_delivery_at?.toISOString() ?? null,
          notifyChannel: r.config?.notifyChannel ?? null,
        }));
      });
    },

    /**
     * Events whose handler failed on every attempt, newest first. The queue tables are outside
     * row-level security; the query keeps to the caller's organization by the events' own
     * organization id (and runs in the tenant's transaction, as the app role, like everything else).
     */
    async listFailedJobs(ctx: RequestContext): Promise<FailedJobDto[]> {
      requireAdmin(ctx);
      const letters = deadLetters
        ? await deadLetters.listDeadLetters(ctx.organizationId, 100)
        : await db.withTenant(ctx, (tx) => listDeadLetters(transactionSql(tx), ctx.organizationId, 100));
      return letters.map((l) => ({
        handler: l.handler,
        eventId: l.event.id,
        eventType: l.event.type,
        occurredAt: l.event.occurredAt,
        attempts: l.attempts,
        error: l.error,
        failedAt: l.failedAt,
      }));
    },

    /** Gives a failed event back to its handler with a fresh set of attempts. */
    async retryFailedJob(ctx: RequestContext, input: RetryFailedJobInput): Promise<void> {
      requireAdmin(ctx);
      const retried = deadLetters
        ? await deadLetters.retryDeadLetter(ctx.organizationId, input.handler, input.eventId)
        : await db.withTenant(ctx, (tx) =>
            retryDeadLetter(transactionSql(tx), ctx.organizationId, input.handler, input.eventId),
          );
      if (!retried) throw notFound("Failed job", `${input.handler}/${input.eventId}`);
    },

    /**
     * Connects a GitHub webhook (a repository's, an organization's or a GitHub App's): a new
     * integration with a fresh signing secret. Each connection has its own secret, so one can be
     * revoked without touching the others.
     */
    async connectGithubWebhook(ctx: RequestContext): Promise<ConnectedWebhook> {
      requireAdmin(ctx);
      const id = randomUUID();
      const secret = newWebhookSecret();
      await db.withTenant(ctx, (tx) =>
        tx.integration.create({
          data: {
            id,
            organizationId: ctx.organizationId,
            provider: "github",
            config: { kind: "webhook", connectedById: ctx.actor.userId },
            encryptedSecret: sealWebhookSecret(encryptionKey, id, secret),
          },
        }),
      );
      return { integrationId: id, secret, path: `/webhooks/github?integration=${id}` };
    },

    /**
     * Connects a Slack app's Events API: Slack generates the signing secret (the app's Basic
     * Information page), so the admin pastes it here; it is stored sealed and never shown again.
     * Returns the Request URL to give Slack.
     */
    async connectSlack(
      ctx: RequestContext,
      input: ConnectSlackInput,
    ): Promise<{ integrationId: string; path: string }> {
      requireAdmin(ctx);
      const id = randomUUID();
      await db.withTenant(ctx, (tx) =>
        tx.integration.create({
          data: {
            id,
            organizationId: ctx.organizationId,
            provider: "slack",
            config: {
              kind: "events",
              connectedById: ctx.actor.userId,
              ...(input.botToken && { botToken: sealBotToken(encryptionKey, id, input.botToken) }),
              ...(input.notifyChannel && { notifyChannel: input.notifyChannel }),
            },
            encryptedSecret: sealWebhookSecret(encryptionKey, id, input.signingSecret),
          },
        }),
      );
      return { integrationId: id, path: `/webhooks/slack?integration=${id}` };
    },

    /** Connects a GitHub token DevFlow acts with (comments, check runs, issues); stored sealed. */
    async connectGithubToken(ctx: RequestContext, input: ConnectGitHubTokenInput): Promise<{ integrationId: string }> {
      return connectCredential(ctx, "github", { kind: "token", ...(input.apiUrl && { apiUrl: input.apiUrl }) }, input.token);
    },

    /** Connects a Jira Cloud site with the API token of the account issues are filed as. */
    async connectJira(ctx: RequestContext, input: ConnectJiraInput): Promise<{ integrationId: string }> {
      return connectCredential(
        ctx,
        "jira",
        { kind: "api", host: new URL(input.host).origin, email: input.email },
        input.apiToken,
      );
    },

    /** Connects Linear with a personal API key. */
    async connectLinear(ctx: RequestContext, input: ConnectLinearInput): Promise<{ integrationId: string }> {
      return connectCredential(ctx, "linear", { kind: "api" }, input.apiKey);
    },

    /**
     * Disconnects an integration: its secrets go with the row, so its webhook address stops
     * verifying at once (after ingress's short cache) and nothing acts with its token again.
     * Deliveries already received are kept, no longer tied to it.
     */
    async disconnect(ctx: RequestContext, integrationId: string): Promise<void> {
      requireAdmin(ctx);
      const removed = await db.withTenant(ctx, async (tx) => {
        await tx.webhookDelivery.updateMany({ where: { integrationId }, data: { integrationId: null } });
        return tx.integration.deleteMany({ where: { id: integrationId } });
      });
      if (removed.count === 0) throw notFound("Integration", integrationId);
    },
  };
}
