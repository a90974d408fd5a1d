import { z } from "zod";

// Release readiness: the pull requests and issues of one GitHub milestone in a project's linked
// repositories, judged gate by gate (PR risk, open blockers, doc approvals, failing checks, DORA
// trend). Every gate says pass, fail or unknown with its reasons and the rows that decided it, so a
// red gate can always be traced to the pull request, issue or document behind it.

/** GitHub caps milestone titles well below this; the bound keeps a query string from being a payload. */
export const MILESTONE_TITLE_MAX = 255;
/** The DORA trend compares the last this-many days with the same span before them. */
export const RELEASE_DORA_WINDOW_DAYS = 30;
/** A change failure rate this many percentage points above the previous window fails the DORA gate. */
export const RELEASE_CFR_RISE_MAX_POINTS = 10;

export const RELEASE_GATES = ["pr_risk", "open_blockers", "doc_approvals", "failing_checks", "dora_trend"] as const;
export const ReleaseGateNameSchema = z.enum(RELEASE_GATES);
export type ReleaseGateName = z.infer<typeof ReleaseGateNameSchema>;

export const RELEASE_VERDICTS = ["pass", "fail", "unknown"] as const;
export const ReleaseVerdictSchema = z.enum(RELEASE_VERDICTS);
export type ReleaseVerdict = z.infer<typeof ReleaseVerdictSchema>;

/** A row behind a gate: a pull request, an issue, a design doc or a DORA window. */
export const ReleaseGateRowSchema = z.object({
  kind: z.enum(["pull_request", "issue", "document", "dora_window"]),
  /** The row's id (a DORA window's is "current" or "previous"). */
  id: z.string(),
  title: z.string(),
  /** owner/name for pull requests and issues. */
  repository: z.string().nullable(),
  number: z.number().int().nullable(),
  /** GitHub's page for pull requests and issues; documents open in DevFlow by id. */
  url: z.string().nullable(),
  /** What about the row the gate looked at ("open · risk high", "in_review", "CFR 12%"). */
  status: z.string(),
  /** Whether this row is why the gate is not passing. */
  isBlocking: z.boolean(),
});
export type ReleaseGateRowDto = z.infer<typeof ReleaseGateRowSchema>;

export const ReleaseGateSchema = z.object({
  gate: ReleaseGateNameSchema,
  verdict: ReleaseVerdictSchema,
  reasons: z.array(z.string()),
  rows: z.array(ReleaseGateRowSchema),
});
export type ReleaseGateDto = z.infer<typeof ReleaseGateSchema>;

export const ReleaseReadinessSchema = z.object({
  projectId: z.uuid(),
  milestone: z.string(),
  dueAt: z.iso.datetime().nullable(),
  /** fail if any gate fails, else unknown if any is unknown, else pass. */
  overall: ReleaseVerdictSchema,
  /** In RELEASE_GATES order. */
  gates: z.array(ReleaseGateSchema),
  assessedAt: z.iso.datetime(),
});
export type ReleaseReadinessDto = z.infer<typeof ReleaseReadinessSchema>;

/** `GET /api/v1/projects/:projectId/milestones/readiness?milestone=<title>`. */
export const ReleaseReadinessQuerySchema = z.object({
  milestone: z.string().trim().min(1, "Name a milestone").max(MILESTONE_TITLE_MAX),
});
export type ReleaseReadinessQuery = z.infer<typeof ReleaseReadinessQuerySchema>;

/** A milestone title seen on the project's pull requests or issues, with what it holds. */
export const MilestoneSchema = z.object({
  title: z.string(),
  /** The latest due date GitHub sent for the title; null when it has none. */
  dueAt: z.iso.datetime().nullable(),
  /** open while any of its pull requests or issues is open. */
  state: z.enum(["open", "closed"]),
  pullRequests: z.object({ open: z.number().int(), closed: z.number().int() }),
  issues: z.object({ open: z.number().int(), closed: z.number().int() }),
});
export type MilestoneDto = z.infer<typeof MilestoneSchema>;

/** `GET /api/v1/projects/:projectId/milestones`: newest due date first, undated last. */
export const MilestoneListSchema = z.object({ projectId: z.uuid(), milestones: z.array(MilestoneSchema) });
export type MilestoneListDto = z.infer<typeof MilestoneListSchema>;
