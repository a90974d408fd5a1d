import { z } from "zod";
import { PageQuerySchema } from "./pagination";

/** Where an AI call was made from. Matches the `ai_surface` enum of `ai_activities`. */
export const AI_SURFACES = ["assistant", "mcp", "worker", "search"] as const;
export const AiSurfaceSchema = z.enum(AI_SURFACES);
export type AiSurface = z.infer<typeof AiSurfaceSchema>;

/** How a call ended: answered, failed, or declined by the model or by DevFlow (budget, policy). */
export const AI_CALL_STATUSES = ["ok", "error", "refused"] as const;
export const AiCallStatusSchema = z.enum(AI_CALL_STATUSES);
export type AiCallStatus = z.infer<typeof AiCallStatusSchema>;

export const AI_PROVIDER_NAME_MAX = 100;
export const AI_MODEL_NAME_MAX = 200;
export const AI_TOOL_NAME_MAX = 100;
export const AI_ERROR_CODE_MAX = 100;
/** `cost_usd` is numeric(12, 6): anything at or above a million dollars per call is a bug upstream. */
export const AI_COST_USD_MAX = 999_999.999999;
/** Tokens and latencies are Postgres integers. */
const INT_MAX = 2_147_483_647;

/** The longest range one summary covers, in days; wider ones are refused rather than slow. */
export const AI_ACTIVITY_SUMMARY_DAYS_MAX = 366;
/** The range a summary covers when none is given: the last 30 days, today included (UTC). */
export const AI_ACTIVITY_SUMMARY_DAYS_DEFAULT = 30;
/** Most rows the per-model and per-tool totals return (the biggest spenders first). */
export const AI_ACTIVITY_BREAKDOWN_MAX = 50;

const optionalName = (max: number) => z.string().trim().min(1).max(max).nullish();

/**
 * One AI call as services record it (`createAiActivityService(db).record`). Parsed by the service,
 * so a caller with a bug gets a clear `validation_failed` rather than a database error.
 */
export const RecordAiActivityInputSchema = z.object({
  surface: AiSurfaceSchema,
  /** The workspace tool the call served (search_docs…), if any. */
  tool: optionalName(AI_TOOL_NAME_MAX),
  projectId: z.uuid().nullish(),
  provider: z.string().trim().min(1).max(AI_PROVIDER_NAME_MAX),
  model: z.string().trim().min(1).max(AI_MODEL_NAME_MAX),
  inputTokens: z.number().int().min(0).max(INT_MAX),
  outputTokens: z.number().int().min(0).max(INT_MAX),
  latencyMs: z.number().int().min(0).max(INT_MAX),
  costUsd: z.number().min(0).max(AI_COST_USD_MAX),
  status: AiCallStatusSchema,
  /** The machine-readable reason a call failed (`rate_limited`, `context_length`…). */
  errorCode: optionalName(AI_ERROR_CODE_MAX),
});
export type RecordAiActivityInput = z.input<typeof RecordAiActivityInputSchema>;

const PersonSchema = z.object({ id: z.uuid(), name: z.string().nullable(), email: z.string().nullable() });
const ProjectRefSchema = z.object({ id: z.uuid(), name: z.string().nullable() });

/** One recorded AI call. */
export const AiActivitySchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  surface: AiSurfaceSchema,
  tool: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  latencyMs: z.number().int(),
  costUsd: z.number(),
  status: z.string(),
  errorCode: z.string().nullable(),
  /** Who made the call; null for calls made by DevFlow itself (workers). */
  user: PersonSchema.nullable(),
  /** The project the call worked in; `name` is null when the project no longer exists. */
  project: ProjectRefSchema.nullable(),
});
export type AiActivityDto = z.infer<typeof AiActivitySchema>;

/** Empty strings mean "no filter", so a form can send every field. */
const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

/** A day (`2026-11-23`, midnight UTC) or an instant (`2026-11-23T10:00:00Z`, offsets allowed). */
const DateBoundSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Use a date (YYYY-MM-DD) or an ISO 8601 time" })
  .transform((value) => new Date(value));

const activityFilterShape = {
  projectId: optional(z.uuid()),
  surface: optional(AiSurfaceSchema),
  model: optional(z.string().trim().max(AI_MODEL_NAME_MAX)),
  status: optional(AiCallStatusSchema),
  /** Calls by one person. Members still see only what they may see (their own, and visible projects'). */
  userId: optional(z.uuid()),
};

const boundsInOrder = (f: { from?: Date | undefined; to?: Date | undefined }) => !f.from || !f.to || f.from < f.to;
const boundsMessage = { message: "`from` must be before `to`", path: ["to"] };

/** `GET /api/v1/ai-activity`: calls newest first. `from` is inclusive, `to` exclusive. */
export const ListAiActivityQuerySchema = PageQuerySchema.extend({
  ...activityFilterShape,
  from: optional(DateBoundSchema),
  to: optional(DateBoundSchema),
}).refine(boundsInOrder, boundsMessage);
export type ListAiActivityQuery = z.infer<typeof ListAiActivityQuerySchema>;

const DAY_MS = 86_400_000;
const DaySchema = z.iso.date({ error: "Use a day: YYYY-MM-DD" });

/**
 * `GET /api/v1/ai-activity/summary`: per-day buckets over whole UTC days. `from` is the first day,
 * `to` the day after the last (exclusive, like every other `to`). Both default to the last
 * AI_ACTIVITY_SUMMARY_DAYS_DEFAULT days ending today.
 */
export const AiActivitySummaryQuerySchema = z
  .object({ ...activityFilterShape, from: optional(DaySchema), to: optional(DaySchema) })
  .transform((query, issue) => {
    const to = query.to ?? dayOf(Date.now() + DAY_MS);
    const from = query.from ?? dayOf(Date.parse(to) - AI_ACTIVITY_SUMMARY_DAYS_DEFAULT * DAY_MS);
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
    if (days < 1) issue.addIssue({ code: "custom", path: ["to"], message: "`from` must be before `to`" });
    if (days > AI_ACTIVITY_SUMMARY_DAYS_MAX) {
      issue.addIssue({
        code: "custom",
        path: ["from"],
        message: `A summary covers at most ${AI_ACTIVITY_SUMMARY_DAYS_MAX} days; narrow the range`,
      });
    }
    return { ...query, from, to };
  });
export type AiActivitySummaryQuery = z.output<typeof AiActivitySummaryQuerySchema>;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Counts and sums over a set of calls. Latency percentiles are null when there were no calls. */
export const AiActivityTotalsSchema = z.object({
  calls: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  /** Calls with status "error". */
  errors: z.number().int(),
  /** Calls with status "refused". */
  refused: z.number().int(),
  /** Continuous percentiles (linear interpolation, Postgres `percentile_cont`), in milliseconds. */
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
});
export type AiActivityTotalsDto = z.infer<typeof AiActivityTotalsSchema>;

export const AiActivityDaySchema = AiActivityTotalsSchema.extend({ day: z.iso.date() });
export type AiActivityDayDto = z.infer<typeof AiActivityDaySchema>;

export const AiActivitySummarySchema = z.object({
  from: z.iso.date(),
  /** Exclusive. */
  to: z.iso.date(),
  /** One bucket per UTC day in [from, to), empty days included, oldest first. */
  days: z.array(AiActivityDaySchema),
  totals: AiActivityTotalsSchema,
  /** Highest cost first. */
  byModel: z.array(AiActivityTotalsSchema.extend({ provider: z.string(), model: z.string() })),
  /** Highest cost first; `tool` is null for calls that served no tool (plain chat). */
  byTool: z.array(AiActivityTotalsSchema.extend({ tool: z.string().nullable() })),
});
export type AiActivitySummaryDto = z.infer<typeof AiActivitySummarySchema>;
