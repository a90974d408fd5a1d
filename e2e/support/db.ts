/**
 * Direct access to the e2e database for arranging fixtures the product has no way to make on demand
 * (an invitation that has run out, for instance). Connects as the `postgres` superuser, which
 * bypasses row-level security: use it to set a fixture up, never to check what the app does.
 */
import pg from "pg";
import { expect } from "@playwright/test";
import { E2E_DATABASE } from "./ports";

/** The server support/stack.ts created the database on, pointed at that database. */
export const E2E_DATABASE_URL = (() => {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${E2E_DATABASE}`;
  return url.toString();
})();

/** Runs `fn` with a connection of its own, closed afterwards. */
export async function withE2eDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Makes an invitation's link stop working by moving its expiry into the past. */
export async function expireInvitation(invitationId: string): Promise<void> {
  const { rowCount } = await withE2eDatabase((client) =>
    client.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", [invitationId]),
  );
  expect(rowCount, `invitation ${invitationId} exists`).toBe(1);
}

/**
 * A repository as the worker stores it when a GitHub webhook first mentions it (no project linked),
 * without setting up a webhook and a delivery. Returns its id.
 */
export async function insertRepository(organizationId: string, fullName: string): Promise<string> {
  const { rows } = await withE2eDatabase((client) =>
    client.query<{ id: string }>(
      `INSERT INTO repositories (organization_id, provider, external_id, full_name, updated_at)
       VALUES ($1, 'github', $2, $3, now()) RETURNING id`,
      [organizationId, String(Math.floor(Math.random() * 1e9)), fullName],
    ),
  );
  return rows[0]!.id;
}
