import { z } from "zod";

// DORA metrics of a project (deployment frequency, lead time for changes, change failure rate, time
// to restore), computed from the GitHub events DevFlow stores: deployments, pull requests and
// incidents of the repositories linked to the project. Every counted or excluded row is returned
// with the rule that decided it, so a number on the dashboard can always be traced to its evidence.

/** The windows the dashboard offers, in days. The API takes any range up to DORA_WINDOW_DAYS_MAX. */
export const DORA_WINDOW_DAYS_OPTIONS = [30, 90, 180] as const;
export const DORA_WINDOW_DAYS_DEFAULT = 30;
/** The longest window one request covers; wider ones are refused rather than slow. */
export const DORA_WINDOW_DAYS_MAX = 366;
/** Windows up to this many days are charted per day, longer ones per week (7-day buckets from `from`). */
export const DORA_DAILY_SERIES_DAYS_MAX = 31;
/**
 * How long before the window a pull request may have been merged and still count for lead time when
 * it is deployed inside the window. Older merges are not read.
 */
export const DORA_LEAD_TIME_LOOKBACK_DAYS = 90;
/** The environment whose deployments count by default (compared in any case, like incident attribution). */
export const DORA_ENVIRONMENT_DEFAULT = "production";
export const DORA_ENVIRONMENT_MAX = 255;

const DAY_MS = 86_400_000;
const DaySchema = z.iso.date({ error: "Use a day: YYYY-MM-DD" });
const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

/**
 * `GET /api/v1/projects/:projectId/dora`: whole UTC days, `from` inclusive and `to` exclusive (the
 * day after the last, like every other `to`). Both default to the last DORA_WINDOW_DAYS_DEFAULT days
 * ending today; `environment` defaults to production.
 */
export const DoraMetricsQuerySchema = z
  .object({
    from: optional(DaySchema),
    to: optional(DaySchema),
    environment: optional(z.string().trim().min(1).max(DORA_ENVIRONMENT_MAX)),
  })
  .transform((query, issue) => {
    const to = query.to ?? dayOf(Date.now() + DAY_MS);
    const from = query.from ?? dayOf(Date.parse(to) - DORA_WINDOW_DAYS_DEFAULT * DAY_MS);
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
    if (days < 1) issue.addIssue({ code: "custom", path: ["to"], message: "`from` must be before `to`" });
    if (days > DORA_WINDOW_DAYS_MAX) {
      issue.addIssue({
        code: "custom",
        path: ["from"],
        message: `DORA metrics cover at most ${DORA_WINDOW_DAYS_MAX} days; narrow the range`,
      });
    }
    return { from, to, environment: query.environment ?? DORA_ENVIRONMENT_DEFAULT };
  });
export type DoraMetricsQuery = z.output<typeof DoraMetricsQuerySchema>;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether a pull request was made with an AI tool, as far as its data says (see DORA_RULE_DESCRIPTIONS). */
export const AI_ASSISTANCE_KINDS = ["ai_assisted", "human", "unknown"] as const;
export const AiAssistanceKindSchema = z.enum(AI_ASSISTANCE_KINDS);
export type AiAssistanceKind = z.infer<typeof AiAssistanceKindSchema>;

/** Why a deployment in the window was counted, or not. */
export const DORA_DEPLOYMENT_RULES = ["succeeded", "failed", "other_environment", "unfinished"] as const;
export const DoraDeploymentRuleSchema = z.enum(DORA_DEPLOYMENT_RULES);
export type DoraDeploymentRule = z.infer<typeof DoraDeploymentRuleSchema>;

/** Why a deployment counts as a failure for change failure rate (both may apply). */
export const DORA_FAILURE_RULES = ["deployment_failed", "incident_attributed"] as const;
export const DoraFailureRuleSchema = z.enum(DORA_FAILURE_RULES);
export type DoraFailureRule = z.infer<typeof DoraFailureRuleSchema>;

/** How a merged pull request was found in a deployment. */
export const DORA_LEAD_TIME_MATCHES = ["merge_commit", "base_branch_after_merge"] as const;
export const DoraLeadTimeMatchSchema = z.enum(DORA_LEAD_TIME_MATCHES);
export type DoraLeadTimeMatch = z.infer<typeof DoraLeadTimeMatchSchema>;

/** Why a merged pull request was counted for lead time, or not. */
export const DORA_PULL_REQUEST_RULES = ["deployed", "not_deployed"] as const;
export const DoraPullRequestRuleSchema = z.enum(DORA_PULL_REQUEST_RULES);
export type DoraPullRequestRule = z.infer<typeof DoraPullRequestRuleSchema>;

/** Why an incident was counted for time to restore, or not. */
export const DORA_INCIDENT_RULES = ["resolved", "open", "opened_outside_window"] as const;
export const DoraIncidentRuleSchema = z.enum(DORA_INCIDENT_RULES);
export type DoraIncidentRule = z.infer<typeof DoraIncidentRuleSchema>;

/** The four metrics' rules as named in every answer (`rules`), so a reader knows what was measured. */
export const DORA_METRIC_RULES = {
  deploymentFrequency: "successful_deployments_finished_in_window",
  leadTime: "first_commit_to_first_successful_deployment_of_merge_commit_or_base_branch_after_merge",
  changeFailure: "failed_deployment_or_attributed_incident_over_finished_deployments",
  timeToRestore: "incidents_opened_in_window_opened_to_resolved",
  aiAssistance: "ai_coauthor_trailer_generated_with_marker_ai_author_or_declaration",
} as const;

/** What each rule means, for the dashboard's legend and for API readers. */
export const DORA_RULE_DESCRIPTIONS = {
  succeeded:
    "Succeeded in the environment and finished in the window (success, or superseded after succeeding): counted in deployment frequency and in change failure rate's denominator.",
  failed:
    "Ended in failure or error in the environment within the window: counted in change failure rate only, as a failure.",
  other_environment: "Deployed to another environment: not counted.",
  unfinished:
    "Never reported success, failure or error (pending, in progress, or superseded before finishing): not counted.",
  deployment_failed: "The deployment itself ended in failure or error.",
  incident_attributed: "An incident is attributed to the deployment (what was live when it was opened).",
  merge_commit: "The deployment's commit is the pull request's merge commit.",
  base_branch_after_merge:
    "The deployment was created from the pull request's base branch after the merge, so that branch's head already contained it.",
  deployed:
    "Merged, and its first successful deployment in the environment finished in the window: counted in lead time.",
  not_deployed:
    "Merged in the window, but no successful deployment in the environment carried it before the window ended: not counted.",
  resolved: "Opened in the window and resolved: counted in time to restore (opened → resolved).",
  open: "Opened in the window and still open: listed, not counted.",
  opened_outside_window:
    "Opened outside the window, but attributed to a deployment in it: counts toward change failure rate, not time to restore.",
  ai_assisted:
    "The pull request names an AI tool: a Co-authored-by trailer of an AI agent, a “Generated with <AI tool>” line, an AI agent as its author, or “AI-assisted: yes”.",
  human: "The pull request declares “AI-assisted: no” and carries no AI signal.",
  unknown: "Nothing in the pull request says either way.",
} as const satisfies Record<
  DoraDeploymentRule | DoraFailureRule | DoraLeadTimeMatch | DoraPullRequestRule | DoraIncidentRule | AiAssistanceKind,
  string
>;

/** A median and a 90th percentile (linear interpolation, like Postgres `percentile_cont`); null when count is 0. */
export const DoraDurationStatsSchema = z.object({
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
export type DoraDurationStatsDto = z.infer<typeof DoraDurationStatsSchema>;

/** `failed` of `total` deployments; `rate` is null when there were none. */
export const DoraFailureRateSchema = z.object({
  failed: z.number().int(),
  total: z.number().int(),
  rate: z.number().nullable(),
});
export type DoraFailureRateDto = z.infer<typeof DoraFailureRateSchema>;

const byAiAssistance = <T extends z.ZodType>(schema: T) =>
  z.object({ ai_assisted: schema, human: schema, unknown: schema });

/** One bucket of the series: a UTC day, or 7 days from the window's start (the last one may be shorter). */
export const DoraBucketSchema = z.object({
  start: z.iso.date(),
  /** Exclusive. */
  end: z.iso.date(),
  /** Successful deployments finished in the bucket (deployment frequency). */
  deployments: z.number().int(),
  /** Successful and failed deployments finished in the bucket (change failure rate's denominator). */
  finishedDeployments: z.number().int(),
  /** Those of them that count as failures. */
  failedDeployments: z.number().int(),
  /** Median lead time of the pull requests first deployed in the bucket. */
  leadTimeMedianMs: z.number().nullable(),
  /** Median time to restore of the resolved incidents opened in the bucket. */
  restoreMedianMs: z.number().nullable(),
});
export type DoraBucketDto = z.infer<typeof DoraBucketSchema>;

/** A deployment of one of the project's repositories in the window, and what it counted for. */
export const DoraDeploymentRowSchema = z.object({
  id: z.uuid(),
  repository: z.string(),
  environment: z.string(),
  sha: z.string(),
  ref: z.string().nullable(),
  /** The stored GitHub status: pending, in_progress, success, failure, error or inactive. */
  status: z.string(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  rule: DoraDeploymentRuleSchema,
  /** Null when the deployment is not a failure (or not counted at all). */
  failure: z.object({ rules: z.array(DoraFailureRuleSchema), incidentIds: z.array(z.uuid()) }).nullable(),
  /** The merged pull requests this deployment carried toward the environment (the lead time rule). */
  pullRequestIds: z.array(z.uuid()),
  /** AI-assisted if any carried pull request is, human if all are, unknown otherwise. */
  aiAssistance: AiAssistanceKindSchema,
});
export type DoraDeploymentRowDto = z.infer<typeof DoraDeploymentRowSchema>;

/** Lead time's parts; null where the data does not say (no first commit time, never reviewed). */
export const DoraLeadTimeStagesSchema = z.object({
  /** First commit → opened. */
  codingMs: z.number().nullable(),
  /** Opened → first review by someone other than the author. */
  pickupMs: z.number().nullable(),
  /** First review → merged. */
  reviewMs: z.number().nullable(),
  /** Merged → deployed (the deployment's finish time). */
  deployMs: z.number().nullable(),
});
export type DoraLeadTimeStagesDto = z.infer<typeof DoraLeadTimeStagesSchema>;

/** A merged pull request of the project, and whether (and how) it reached the environment. */
export const DoraPullRequestRowSchema = z.object({
  id: z.uuid(),
  repository: z.string(),
  number: z.number().int(),
  title: z.string(),
  url: z.string().nullable(),
  authorLogin: z.string().nullable(),
  firstCommitAt: z.iso.datetime().nullable(),
  openedAt: z.iso.datetime(),
  firstReviewAt: z.iso.datetime().nullable(),
  mergedAt: z.iso.datetime(),
  rule: DoraPullRequestRuleSchema,
  match: DoraLeadTimeMatchSchema.nullable(),
  deploymentId: z.uuid().nullable(),
  deployedAt: z.iso.datetime().nullable(),
  /** Where lead time starts: the first commit when known, else the pull request's opening. */
  startedFrom: z.enum(["first_commit", "opened"]),
  leadTimeMs: z.number().nullable(),
  stages: DoraLeadTimeStagesSchema,
  aiAssistance: z.object({
    kind: AiAssistanceKindSchema,
    /** The evidence, quoted (`Co-authored-by: Claude <noreply@anthropic.com>`); null for unknown. */
    signal: z.string().nullable(),
  }),
});
export type DoraPullRequestRowDto = z.infer<typeof DoraPullRequestRowSchema>;

/** An incident of the project, and what it counted for. */
export const DoraIncidentRowSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  severity: z.string(),
  openedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  deploymentId: z.uuid().nullable(),
  /** Who chose `deploymentId`: the attribution rule, or an admin (kept from then on). */
  attribution: z.enum(["automatic", "manual"]),
  rule: DoraIncidentRuleSchema,
  restoreMs: z.number().nullable(),
  /** Whether it makes its deployment a failure in this window's change failure rate. */
  countsAsFailure: z.boolean(),
});
export type DoraIncidentRowDto = z.infer<typeof DoraIncidentRowSchema>;

export const DoraMetricsSchema = z.object({
  projectId: z.uuid(),
  environment: z.string(),
  from: z.iso.date(),
  /** Exclusive. */
  to: z.iso.date(),
  days: z.number().int(),
  /** How many repositories are linked to the project; 0 means nothing can be measured yet. */
  repositoryCount: z.number().int(),
  rules: z.object({
    deploymentFrequency: z.literal(DORA_METRIC_RULES.deploymentFrequency),
    leadTime: z.literal(DORA_METRIC_RULES.leadTime),
    changeFailure: z.literal(DORA_METRIC_RULES.changeFailure),
    timeToRestore: z.literal(DORA_METRIC_RULES.timeToRestore),
    aiAssistance: z.literal(DORA_METRIC_RULES.aiAssistance),
  }),
  deploymentFrequency: z.object({
    deployments: z.number().int(),
    perDay: z.number(),
    perWeek: z.number(),
  }),
  leadTime: DoraDurationStatsSchema.extend({
    stages: z.object({
      coding: DoraDurationStatsSchema,
      pickup: DoraDurationStatsSchema,
      review: DoraDurationStatsSchema,
      deploy: DoraDurationStatsSchema,
    }),
    byAiAssistance: byAiAssistance(DoraDurationStatsSchema),
  }),
  changeFailureRate: DoraFailureRateSchema.extend({ byAiAssistance: byAiAssistance(DoraFailureRateSchema) }),
  timeToRestore: DoraDurationStatsSchema.extend({
    /** Incidents opened in the window and not resolved: listed, not counted. */
    open: z.number().int(),
  }),
  granularity: z.enum(["day", "week"]),
  series: z.array(DoraBucketSchema),
  /** Newest first. */
  deployments: z.array(DoraDeploymentRowSchema),
  /** Newest merge first. */
  pullRequests: z.array(DoraPullRequestRowSchema),
  /** Newest first. */
  incidents: z.array(DoraIncidentRowSchema),
});
export type DoraMetricsDto = z.infer<typeof DoraMetricsSchema>;

/** `PUT /api/v1/incidents/:incidentId/attribution`: the deployment the incident is blamed on, or none. */
export const AttributeIncidentInputSchema = z.object({ deploymentId: z.uuid().nullable() });
export type AttributeIncidentInput = z.infer<typeof AttributeIncidentInputSchema>;

export const IncidentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  severity: z.string(),
  openedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  deploymentId: z.uuid().nullable(),
  /** True once an admin chose the deployment: webhook processing no longer changes it. */
  attributedManually: z.boolean(),
});
export type IncidentDto = z.infer<typeof IncidentSchema>;
