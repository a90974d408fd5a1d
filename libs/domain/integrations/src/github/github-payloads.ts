import { z } from "zod";

// The parts of GitHub webhook bodies the event processor reads, and nothing more. The body was
// verified against the integration's secret before it was stored, so these schemas are not a
// security boundary: they turn "GitHub changed a field we rely on" into a clear error on the
// delivery (visible to admins) instead of a row written with undefined in it. Objects are loose
// (zod's default strips the rest), so GitHub adding fields never fails a delivery.

const Timestamp = z.iso.datetime({ offset: true });

/** Parses the part of a GitHub body `schema` describes, or says which fields were not as expected. */
export function parseGitHubPayload<T extends z.ZodType>(schema: T, event: string, payload: unknown): z.infer<T> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  throw new Error(`GitHub ${event} delivery is not in the expected shape: ${z.prettifyError(result.error)}`);
}

export const GitHubRepositorySchema = z.object({
  id: z.number().int(),
  full_name: z.string().min(1),
  /** Absent from installation_repositories' short repository objects. */
  default_branch: z.string().min(1).optional(),
});
export type GitHubRepository = z.infer<typeof GitHubRepositorySchema>;

const UserSchema = z.object({ login: z.string() }).nullable();

/**
 * The milestone a pull request or issue is filed under (null when none). Absent from some shorter
 * copies, which then leave the stored milestone as it was.
 */
export const GitHubMilestoneSchema = z
  .object({
    title: z.string().min(1),
    due_on: Timestamp.nullable().optional(),
  })
  .nullable()
  .optional();
export type GitHubMilestone = z.infer<typeof GitHubMilestoneSchema>;

/** The milestone columns a payload sets: none when it carries no milestone field, cleared when null. */
export function milestoneFields(milestone: GitHubMilestone) {
  if (milestone === undefined) return {};
  return {
    milestone: milestone?.title ?? null,
    milestoneDueAt: milestone?.due_on ? new Date(milestone.due_on) : null,
  };
}

/** The full pull request of `pull_request` events and the shorter one of `pull_request_review`. */
export const GitHubPullRequestSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]),
  /** Only in `pull_request` events; `merged_at` says the same in both. */
  merged: z.boolean().nullable().optional(),
  user: UserSchema,
  html_url: z.string(),
  head: z.object({ sha: z.string() }),
  base: z.object({ ref: z.string() }),
  created_at: Timestamp,
  updated_at: Timestamp,
  closed_at: Timestamp.nullable(),
  merged_at: Timestamp.nullable(),
  merge_commit_sha: z.string().nullable().optional(),
  milestone: GitHubMilestoneSchema,
});
export type GitHubPullRequest = z.infer<typeof GitHubPullRequestSchema>;

export const GitHubReviewSchema = z.object({
  /** Lower case in webhooks ("approved", "commented", "changes_requested", "dismissed"). */
  state: z.string(),
  user: UserSchema,
  submitted_at: Timestamp.nullable(),
});

export const GitHubDeploymentSchema = z.object({
  id: z.number().int(),
  environment: z.string(),
  sha: z.string(),
  ref: z.string().nullable().optional(),
  created_at: Timestamp,
});
export type GitHubDeployment = z.infer<typeof GitHubDeploymentSchema>;

export const GitHubDeploymentStatusSchema = z.object({
  state: z.string(),
  created_at: Timestamp,
});

export const GitHubIssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  user: UserSchema.optional(),
  html_url: z.string().optional(),
  state: z.enum(["open", "closed"]),
  labels: z
    .array(z.object({ name: z.string() }))
    .optional()
    .default([]),
  created_at: Timestamp,
  updated_at: Timestamp,
  closed_at: Timestamp.nullable(),
  milestone: GitHubMilestoneSchema,
});
export type GitHubIssue = z.infer<typeof GitHubIssueSchema>;

/** What every event may carry: which event of its kind it is, and the repository it happened in. */
export const GitHubEnvelopeSchema = z.object({
  action: z.string().optional(),
  repository: GitHubRepositorySchema.nullable().optional(),
});

export const GitHubInstallationRepositoriesSchema = z.object({
  repositories_added: z.array(GitHubRepositorySchema).optional().default([]),
});

export const GitHubPullRequestEventSchema = z.object({
  repository: GitHubRepositorySchema,
  pull_request: GitHubPullRequestSchema,
});

export const GitHubPullRequestReviewEventSchema = GitHubPullRequestEventSchema.extend({
  review: GitHubReviewSchema,
});

export const GitHubDeploymentEventSchema = z.object({
  repository: GitHubRepositorySchema,
  deployment: GitHubDeploymentSchema,
});

export const GitHubDeploymentStatusEventSchema = GitHubDeploymentEventSchema.extend({
  deployment_status: GitHubDeploymentStatusSchema,
});

export const GitHubIssuesEventSchema = z.object({
  repository: GitHubRepositorySchema,
  issue: GitHubIssueSchema,
});
