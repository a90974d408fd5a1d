import { can, type RequestContext } from "@devflow/auth";
import type { Database } from "@devflow/db";
import { forbidden } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secrets";

export interface IntegrationsServiceOptions {
  /** ENCRYPTION_KEY: seals the integrations' secrets at rest. */
  encryptionKey: Uint8Array;
}

export interface ConnectedWebhook {
  integrationId: string;
  /** Shown once, to paste into the provider's webhook settings; stored only sealed. */
  secret: string;
  /** Path on the worker that receives this integration's deliveries. */
  path: string;
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;

/** Connecting an organization's outside tools. Admins only; secrets are sealed with ENCRYPTION_KEY. */
export function createIntegrationsService(db: Database, { encryptionKey }: IntegrationsServiceOptions) {
  return {
    /**
     * Connects a GitHub webhook (a repository's, an organization's or a GitHub App's): a new
     * integration with a fresh signing secret. Each connection has its own secret, so one can be
     * revoked without touching the others.
     */
    async connectGithubWebhook(ctx: RequestContext): Promise<ConnectedWebhook> {
      if (!can(ctx.actor, "integrations:manage")) throw forbidden("Only admins can connect integrations");
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
  };
}
