import type { Tx } from "@devflow/db";

export type GitHubTable = "repositories" | "pull_requests" | "deployments" | "incidents" | "issues";

export interface TouchedRow {
  table: GitHubTable;
  /** The DevFlow row's id. */
  id: string;
  /** False when the payload was older than the stored row, which therefore kept its state. */
  applied: boolean;
}

/** The repository an event happened in, once upserted. */
export interface RepositoryScope {
  organizationId: string;
  /** repositories.id */
  repositoryId: string;
  /** GitHub's repository id, as stored in repositories.external_id. */
  repositoryExternalId: string;
}

/** Applies one kind of event in its repository; returns the rows it touched besides the repository. */
export type Applier = (
  tx: Tx,
  scope: RepositoryScope,
  payload: unknown,
  action: string | undefined,
) => Promise<TouchedRow[]>;
