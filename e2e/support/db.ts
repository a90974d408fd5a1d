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

/**
 * An issue of a repository as the worker stores it from GitHub's `issues` events, with the triage
 * it stored on `issue.opened` (any JSON, so a spec can store one the contract reads or not). Returns its id.
 */
export async function insertIssue(
  organizationId: string,
  repositoryId: string,
  issue: {
    number: number;
    title: string;
    state?: "open" | "closed";
    labels?: string[];
    triage?: unknown;
    milestone?: string;
  },
): Promise<string> {
  const { rows } = await withE2eDatabase((client) =>
    client.query<{ id: string }>(
      `INSERT INTO issues (organization_id, repository_id, number, title, state, labels, url, linked_document_ids,
                           opened_at, source_updated_at, triage, milestone, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', now(), now(), $8::jsonb, $9, now()) RETURNING id`,
      [
        organizationId,
        repositoryId,
        issue.number,
        issue.title,
        issue.state ?? "open",
        issue.labels ?? [],
        `https://github.com/example/repo/issues/${issue.number}`,
        issue.triage === undefined ? null : JSON.stringify(issue.triage),
        issue.milestone ?? null,
      ],
    ),
  );
  return rows[0]!.id;
}

/**
 * A pull request of a repository as the worker stores it from GitHub's `pull_request` events, in a
 * milestone, optionally with a stored analysis. Returns its id.
 */
export async function insertPullRequest(
  organizationId: string,
  repositoryId: string,
  pull: { number: number; title: string; milestone?: string; analysis?: unknown },
): Promise<string> {
  const { rows } = await withE2eDatabase((client) =>
    client.query<{ id: string }>(
      `INSERT INTO pull_requests (organization_id, repository_id, number, title, state, opened_at, milestone,
                                  analysis, linked_document_ids, updated_at)
       VALUES ($1, $2, $3, $4, 'open', now(), $5, $6::jsonb, '{}', now()) RETURNING id`,
      [
        organizationId,
        repositoryId,
        pull.number,
        pull.title,
        pull.milestone ?? null,
        pull.analysis === undefined ? null : JSON.stringify(pull.analysis),
      ],
    ),
  );
  return rows[0]!.id;
}

/** A failed workflow run with its steps, as the runner leaves one. Returns the run's id. */
export async function insertFailedWorkflowRun(organizationId: string, triggerKey: string): Promise<string> {
  return withE2eDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO workflow_runs (organization_id, workflow, trigger_key, status, input, error, started_at, finished_at)
       VALUES ($1, 'pr-analysis', $2, 'failed', '{"number": 7}', 'GitHub answered 502', now() - interval '1 minute', now())
       RETURNING id`,
      [organizationId, triggerKey],
    );
    const runId = rows[0]!.id;
    await client.query(
      `INSERT INTO workflow_step_runs (organization_id, run_id, name, position, status, attempts, output, error, started_at, finished_at)
       VALUES ($1, $2, 'fetch', 0, 'succeeded', 1, '{"files": 2}', NULL, now() - interval '1 minute', now() - interval '50 seconds'),
              ($1, $2, 'comment', 1, 'failed', 4, NULL, 'GitHub answered 502', now() - interval '50 seconds', now())`,
      [organizationId, runId],
    );
    return runId;
  });
}
