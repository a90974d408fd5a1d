import { z } from "zod";
import { IntegrationProviderSchema } from "./integrations";
import { PageQuerySchema, pageOf } from "./pagination";

/** How far back a repository's deployments are counted in the list (the DORA page's longest common window). */
export const REPOSITORY_RECENT_DEPLOYMENTS_DAYS = 90;

/** The project a repository feeds (its DORA metrics), as far as the reader may see it. */
export const RepositoryProjectSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  /** An archived project keeps its repositories, but none can be linked to it anew. */
  isArchived: z.boolean(),
});
export type RepositoryProjectDto = z.infer<typeof RepositoryProjectSchema>;

/** A repository a connected integration (GitHub webhooks) told DevFlow about. */
export const RepositorySchema = z.object({
  id: z.uuid(),
  provider: IntegrationProviderSchema,
  /** `owner/name`. */
  fullName: z.string(),
  defaultBranch: z.string(),
  /**
   * The linked project, or null when none is — or when it is a private project the reader cannot
   * see (or one since deleted): the list never says that a hidden project exists.
   */
  project: RepositoryProjectSchema.nullable(),
  openPullRequestCount: z.number().int().nonnegative(),
  /** Deployments (any environment) created in the last REPOSITORY_RECENT_DEPLOYMENTS_DAYS days. */
  recentDeploymentCount: z.number().int().nonnegative(),
});
export type RepositoryDto = z.infer<typeof RepositorySchema>;

export const RepositoryPageSchema = pageOf(RepositorySchema);

/** `GET /api/v1/repositories`: by full name; `projectId` keeps to one project's repositories. */
export const ListRepositoriesQuerySchema = PageQuerySchema.extend({ projectId: z.uuid().optional() });
export type ListRepositoriesQuery = z.infer<typeof ListRepositoriesQuerySchema>;

/** `PUT /api/v1/repositories/:repositoryId/project`: the project whose metrics it feeds, or none. */
export const LinkRepositoryInputSchema = z.object({ projectId: z.uuid().nullable() });
export type LinkRepositoryInput = z.infer<typeof LinkRepositoryInputSchema>;
