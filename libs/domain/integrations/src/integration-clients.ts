import type { IntegrationProvider } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import {
  breakerKey,
  createGitHubClient,
  createJiraClient,
  createLinearClient,
  createSlackClient,
  type GitHubClient,
  type JiraClient,
  type LinearIssuesClient,
  type ResilientCallerRegistry,
  type SlackClient,
} from "@devflow/integrations";
import { openBotToken, openCredential } from "./webhook-secrets";

export interface IntegrationClientsOptions {
  /** ENCRYPTION_KEY, which sealed the credentials. */
  encryptionKey: () => Promise<Uint8Array>;
  /** One breaker per (service, organization): one organization's broken Jira does not stop another's. */
  breakers: ResilientCallerRegistry;
  /** Linear's GraphQL endpoint; only tests change it. */
  linearApiUrl?: string;
  /** Slack's Web API root (…/api/); only tests change it (SLACK_API_URL). */
  slackApiUrl?: string;
}

type CredentialConfig = { credential?: string; apiUrl?: string; host?: string; email?: string; botToken?: string };

export type IntegrationClients = ReturnType<typeof createIntegrationClients>;

/**
 * The clients an organization's connected credentials open — GitHub (its token), Jira (site, email
 * and API token), Linear (API key), Slack (the app's bot token) — each behind the organization's
 * circuit breaker for that service. Null when the organization has not connected one. With
 * several, the newest is used.
 */
export function createIntegrationClients(db: Database, options: IntegrationClientsOptions) {
  /** The newest enabled integration of `provider` whose config holds the sealed `field`. */
  async function newestWith(organizationId: string, provider: IntegrationProvider, field: "credential" | "botToken") {
    const rows = await db.withTenant({ organizationId }, (tx) =>
      tx.integration.findMany({
        where: { provider, enabled: true },
        orderBy: { createdAt: "desc" },
        select: { id: true, config: true },
        take: 20,
      }),
    );
    const row = rows.find((r) => (r.config as CredentialConfig | null)?.[field]);
    return row ? { id: row.id, config: row.config as CredentialConfig } : null;
  }

  async function credentialOf(organizationId: string, provider: "github" | "jira" | "linear") {
    const row = await newestWith(organizationId, provider, "credential");
    if (!row) return null;
    return {
      config: row.config,
      secret: openCredential(await options.encryptionKey(), row.id, row.config.credential!),
    };
  }

  return {
    async github(organizationId: string): Promise<GitHubClient | null> {
      const found = await credentialOf(organizationId, "github");
      return found
        ? createGitHubClient({
            token: found.secret,
            ...(found.config.apiUrl && { baseUrl: found.config.apiUrl }),
            caller: options.breakers.get(breakerKey("github", organizationId)),
          })
        : null;
    },

    async jira(organizationId: string): Promise<JiraClient | null> {
      const found = await credentialOf(organizationId, "jira");
      return found && found.config.host && found.config.email
        ? createJiraClient({
            host: found.config.host,
            email: found.config.email,
            apiToken: found.secret,
            caller: options.breakers.get(breakerKey("jira", organizationId)),
          })
        : null;
    },

    async linear(organizationId: string): Promise<LinearIssuesClient | null> {
      const found = await credentialOf(organizationId, "linear");
      return found
        ? createLinearClient({
            apiKey: found.secret,
            caller: options.breakers.get(breakerKey("linear", organizationId)),
            ...(options.linearApiUrl && { apiUrl: options.linearApiUrl }),
          })
        : null;
    },

    /**
     * The Web API as the organization's Slack app (its bot token, sealed by connectSlack); null
     * when no enabled Slack integration has a bot token (one that only receives events).
     */
    async slack(organizationId: string): Promise<SlackClient | null> {
      const row = await newestWith(organizationId, "slack", "botToken");
      return row
        ? createSlackClient({
            token: openBotToken(await options.encryptionKey(), row.id, row.config.botToken!),
            caller: options.breakers.get(breakerKey("slack", organizationId)),
            ...(options.slackApiUrl && { slackApiUrl: options.slackApiUrl }),
          })
        : null;
    },
  };
}
