import { z } from "zod";
import { PageQuerySchema, pageOf } from "./pagination";
import { TriageSuggestionSchema } from "./triage";

// A project's GitHub issues (those of its linked repositories) with the triage stored when each
// was opened: what people read to decide priority, labels and duplicates. Nothing here writes.

export const PROJECT_ISSUE_STATES = ["open", "closed", "all"] as const;
export const ProjectIssueStateFilterSchema = z.enum(PROJECT_ISSUE_STATES);
export type ProjectIssueStateFilter = z.infer<typeof ProjectIssueStateFilterSchema>;

/** `GET /api/v1/projects/:projectId/issues`: newest opened first. */
export const ListProjectIssuesQuerySchema = PageQuerySchema.extend({
  state: z.preprocess((value) => (value === "" ? undefined : value), ProjectIssueStateFilterSchema.default("open")),
});
export type ListProjectIssuesQuery = z.infer<typeof ListProjectIssuesQuerySchema>;

/** A design doc the issue mentions, as the reader may see it. */
export const ProjectIssueDocumentSchema = z.object({ id: z.uuid(), title: z.string() });
export type ProjectIssueDocumentDto = z.infer<typeof ProjectIssueDocumentSchema>;

export const ProjectIssueSchema = z.object({
  id: z.uuid(),
  /** owner/name. */
  repositoryFullName: z.string(),
  number: z.number().int().positive(),
  title: z.string(),
  /** "open" or "closed", as GitHub says. */
  state: z.string(),
  labels: z.array(z.string()),
  url: z.string().nullable(),
  milestone: z.string().nullable(),
  openedAt: z.iso.datetime(),
  /** The stored triage; null when the issue was never triaged or its triage is in an older shape. */
  triage: TriageSuggestionSchema.nullable(),
  /** Linked docs the reader may open; those in projects hidden from the reader are left out. */
  documents: z.array(ProjectIssueDocumentSchema),
});
export type ProjectIssueDto = z.infer<typeof ProjectIssueSchema>;

export const ProjectIssuePageSchema = pageOf(ProjectIssueSchema);
