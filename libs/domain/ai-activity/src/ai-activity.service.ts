import type { RequestContext } from "@devflow/auth";
import {
  AI_ACTIVITY_BREAKDOWN_MAX,
  RecordAiActivityInputSchema,
  type AiActivityDto,
  type AiActivitySummaryDto,
  type AiActivitySummaryQuery,
  type AiActivityTotalsDto,
  type ListAiActivityQuery,
  type Page,
  type RecordAiActivityInput,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { AppError, encodeCursor, isUuid, readCursor } from "@devflow/util-core";
import { assertProjectFilter, assertReadsActivity, readerScope, scopeSql, scopeWhere } from "./activity-reader";
import * as repo from "./ai-activity.repository";
import type { AiActivityRow } from "./ai-activity.repository";
import * as summaryRepo from "./ai-activity-summary.repository";
import type { TotalsRow } from "./ai-activity-summary.repository";

export type AiActivityService = ReturnType<typeof createAiActivityService>;

/** One AI call to record; `userId` comes from the context's actor. */
export type AiActivityEntry = RecordAiActivityInput;

/**
 * The log of AI calls: every model call the assistant, MCP tools, workers and search make is
 * recorded here (who, through what, which model, tokens, latency, cost), and read back as a list and
 * as per-day summaries for the AI activity page.
 */
export function createAiActivityService(db: Database) {
  return {
    /**
     * Records one call in the caller's organization, as its actor. Throws validation_failed for a
     * malformed entry (negative tokens, a model name of 10 kB…). Recording is bookkeeping: callers
     * that must not fail a user's request over it should catch, log and carry on.
     */
    async record(ctx: RequestContext, entry: AiActivityEntry): Promise<void> {
      const parsed = RecordAiActivityInputSchema.safeParse(entry);
      if (!parsed.success) throw invalidEntry("AI activity", parsed.error.issues);
      const e = parsed.data;
      await db.withTenant(ctx, (tx) =>
        repo.insertActivity(tx, {
          organizationId: ctx.organizationId,
          // Workers act with a made-up actor for DevFlow itself; only real user ids fit the column.
          userId: isUuid(ctx.actor.userId) ? ctx.actor.userId : null,
          // Not checked against projects: a recorder must not pay a lookup per call, and a row
          // naming a project the reader cannot see is filtered out when read.
          projectId: e.projectId ?? null,
          surface: e.surface,
          tool: e.tool ?? null,
          provider: e.provider,
          model: e.model,
          inputTokens: e.inputTokens,
          outputTokens: e.outputTokens,
          latencyMs: e.latencyMs,
          costUsd: e.costUsd.toFixed(6),
          status: e.status,
          errorCode: e.errorCode ?? null,
        }),
      );
    },

    /** Calls the reader may see, newest first, filtered, one page at a time. */
    async list(ctx: RequestContext, query: ListAiActivityQuery): Promise<Page<AiActivityDto>> {
      assertReadsActivity(ctx);
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const before = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      const { rows, users, projects } = await db.withTenant(ctx, async (tx) => {
        const scope = await readerScope(tx, ctx);
        await assertProjectFilter(tx, ctx, scope, query.projectId);
        const rows = await repo.listActivities(tx, scopeWhere(scope), query, query.limit + 1, before);
        const page = rows.slice(0, query.limit);
        return {
          rows,
          users: await repo.findUsers(tx, distinct(page.map((r) => r.userId))),
          projects: await repo.findProjects(tx, distinct(page.map((r) => r.projectId))),
        };
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const userById = new Map(users.map((u) => [u.id, u]));
      const projectById = new Map(projects.map((p) => [p.id, p]));
      return {
        items: page.map((row) => toAiActivityDto(row, userById, projectById)),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },

    /**
     * Per-day buckets over [from, to) (UTC days, empty days included) and totals for the range,
     * overall, per model and per tool — all computed by Postgres over what the reader may see.
     */
    async summary(ctx: RequestContext, query: AiActivitySummaryQuery): Promise<AiActivitySummaryDto> {
      assertReadsActivity(ctx);
      return db.withTenant(ctx, async (tx) => {
        const scope = await readerScope(tx, ctx);
        await assertProjectFilter(tx, ctx, scope, query.projectId);
        const scoped = (params: unknown[]) => scopeSql(scope, params);
        const days = await summaryRepo.sumPerDay(tx, query, scoped);
        const totals = await summaryRepo.sumAll(tx, query, scoped);
        const byModel = await summaryRepo.sumPerModel(tx, query, scoped, AI_ACTIVITY_BREAKDOWN_MAX);
        const byTool = await summaryRepo.sumPerTool(tx, query, scoped, AI_ACTIVITY_BREAKDOWN_MAX);
        return {
          from: query.from,
          to: query.to,
          days: days.map((d) => ({ day: d.day, ...toTotals(d) })),
          totals: toTotals(totals),
          byModel: byModel.map((m) => ({ provider: m.provider, model: m.model, ...toTotals(m) })),
          byTool: byTool.map((t) => ({ tool: t.tool, ...toTotals(t) })),
        };
      });
    },
  };
}

/** A validation_failed error listing what is wrong with an entry a service was asked to record. */
export function invalidEntry(what: string, issues: readonly { path: PropertyKey[]; message: string }[]): AppError {
  const list = issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = list[0];
  return new AppError(
    "validation_failed",
    `Cannot record ${what}: ${first ? `${first.path || "entry"}: ${first.message}` : "invalid entry"}`,
    { details: { issues: list } },
  );
}

function distinct(ids: readonly (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/*
 * Postgres numerics can come back as strings or numbers depending on the driver (pg vs PGlite);
 * Number() reads both. Percentiles are rounded to 0.1 ms: more digits are noise.
 */
function toTotals(row: TotalsRow): AiActivityTotalsDto {
  const percentile = (value: number | null) => (value === null ? null : Math.round(Number(value) * 10) / 10);
  return {
    calls: Number(row.calls),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    costUsd: Math.round(Number(row.costUsd) * 1e6) / 1e6,
    errors: Number(row.errors),
    refused: Number(row.refused),
    latencyP50Ms: percentile(row.latencyP50Ms),
    latencyP95Ms: percentile(row.latencyP95Ms),
  };
}

type Named = { id: string; name: string };
type Person = { id: string; name: string; email: string };

function toAiActivityDto(
  row: AiActivityRow,
  users: ReadonlyMap<string, Person>,
  projects: ReadonlyMap<string, Named>,
): AiActivityDto {
  const user = row.userId ? users.get(row.userId) : undefined;
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    surface: row.surface,
    tool: row.tool,
    provider: row.provider,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    latencyMs: row.latencyMs,
    costUsd: Number(row.costUsd),
    status: row.status,
    errorCode: row.errorCode,
    user: row.userId ? { id: row.userId, name: user?.name ?? null, email: user?.email ?? null } : null,
    project: row.projectId ? { id: row.projectId, name: projects.get(row.projectId)?.name ?? null } : null,
  };
}
