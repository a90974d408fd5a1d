import type { Database } from "@devflow/db";
import {
  breakerKey,
  createGitHubClient,
  createJiraClient,
  createLinearClient,
  type GitHubClient,
  type JiraClient,
  type LinearIssuesClient,
  type ResilientCallerRegistry,
} from "@devflow/integrations";
import { openCredential } from "./webhook-secrets";

export interface IntegrationClientsOptions {
  /** ENCRYPTION_KEY, which sealed the credentials. */
  encryptionKey: () => Promise<Uint8Array>;
  /** One breaker per (service, organization): one organization's broken Jira does not stop another's. */
  breakers: ResilientCallerRegistry;
  /** Linear's GraphQL endpoint; only tests change it. */
  linearApiUrl?: string;
}

type CredentialConfig = { credential?: string; apiUrl?: string; host?: string; email?: string };

export type IntegrationClients = ReturnType<typeof createIntegrationClients>;

/**
 * The clients an organization's connected credentials open — GitHub (its token), Jira (site, email
 * and API token), Linear (API key) — each behind the organization's circuit breaker for that
 * service. Null when the organization has not connected one. With several, the newest is used.
 */
export function createIntegrationClients(db: Database, options: IntegrationClientsOptions) {
  async function credentialOf(organizationId: string, provider: "github" | "jira" | "linear") {
    const rows = await db.withTenant({ organizationId }, (tx) =>
      tx.integration.findMany({
        where: { provider, enabled: true },
        orderBy: { createdAt: "desc" },
        select: { id: true, config: true },
        take: 20,
      }),
    );
    const row = rows.find((r) => (r.config as CredentialConfig | null)?.credential);
    if (!row) return null;
    const config = row.config as CredentialConfig;
    return { config, secret: openCredential(await options.encryptionKey(), row.id, config.credential!) };
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
  };
}
