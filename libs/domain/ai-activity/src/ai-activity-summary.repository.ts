import type { Tx } from "@devflow/db";

/** The filters of a summary, already checked; `from`/`to` are whole UTC days (`to` exclusive). */
export interface SummaryFilter {
  from: string;
  to: string;
  projectId?: string | undefined;
  surface?: string | undefined;
  model?: string | undefined;
  status?: string | undefined;
  userId?: string | undefined;
}

/** Sums and percentiles over one group of calls, as the SQL below returns them. */
export interface TotalsRow {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errors: number;
  refused: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/*
 * Every aggregate is computed by Postgres over the filtered rows. Token sums are bigint in SQL and
 * sent as float8, which is exact up to 2^53; cost is summed as numeric, then sent as float8 for
 * display. Percentiles are continuous (percentile_cont: linear interpolation between neighbours).
 */
const TOTALS = `count(*)::int AS "calls",
       coalesce(sum(input_tokens), 0)::float8 AS "inputTokens",
       coalesce(sum(output_tokens), 0)::float8 AS "outputTokens",
       coalesce(sum(cost_usd), 0)::float8 AS "costUsd",
       (count(*) FILTER (WHERE status = 'error'))::int AS "errors",
       (count(*) FILTER (WHERE status = 'refused'))::int AS "refused",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS "latencyP50Ms",
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS "latencyP95Ms"`;

/**
 * Writes the reader's visibility condition (see activity-reader.ts), pushing its parameters onto
 * `params` and returning SQL that refers to them by position.
 */
export type ScopeSql = (params: unknown[]) => string;

interface FilteredSql {
  /** The CTE `filtered AS (…)`: the calls that count, with `day`, the UTC day each falls on. */
  cte: string;
  params: unknown[];
  /** Placeholders of the range's first day and the day after its last. */
  from: string;
  to: string;
}

/** The filtered calls. The tenant is fixed by row-level security; the reader's scope is applied here. */
function filteredSql(filter: SummaryFilter, scopeSql: ScopeSql): FilteredSql {
  const params: unknown[] = [];
  const scope = scopeSql(params);
  const add = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const from = add(filter.from, "date");
  const to = add(filter.to, "date");
  const conditions = [
    scope,
    `created_at >= (${from})::timestamp AT TIME ZONE 'UTC'`,
    `created_at < (${to})::timestamp AT TIME ZONE 'UTC'`,
  ];
  if (filter.projectId) conditions.push(`project_id = ${add(filter.projectId, "uuid")}`);
  if (filter.surface) conditions.push(`surface = ${add(filter.surface, "ai_surface")}`);
  if (filter.model) conditions.push(`model = ${add(filter.model, "text")}`);
  if (filter.status) conditions.push(`status = ${add(filter.status, "text")}`);
  if (filter.userId) conditions.push(`user_id = ${add(filter.userId, "uuid")}`);
  const cte = `filtered AS (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, provider, model, tool, input_tokens, output_tokens,
           cost_usd, latency_ms, status
      FROM ai_activities
     WHERE ${conditions.join("\n       AND ")}
  )`;
  return { cte, params, from, to };
}

/** One bucket per day in [from, to), days without calls included (zeros, null percentiles). */
export function sumPerDay(tx: Tx, filter: SummaryFilter, scope: ScopeSql) {
  const { cte, params, from, to } = filteredSql(filter, scope);
  return tx.$queryRawUnsafe<(TotalsRow & { day: string })[]>(
    `WITH ${cte},
     per_day AS (SELECT day, ${TOTALS} FROM filtered GROUP BY day)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS "day",
            coalesce(p."calls", 0) AS "calls", coalesce(p."inputTokens", 0) AS "inputTokens",
            coalesce(p."outputTokens", 0) AS "outputTokens", coalesce(p."costUsd", 0) AS "costUsd",
            coalesce(p."errors", 0) AS "errors", coalesce(p."refused", 0) AS "refused",
            p."latencyP50Ms", p."latencyP95Ms"
       FROM generate_series(${from}, ${to} - 1, interval '1 day') AS g(ts)
       CROSS JOIN LATERAL (SELECT g.ts::date AS day) d
       LEFT JOIN per_day p ON p.day = d.day
      ORDER BY d.day`,
    ...params,
  );
}

/** The whole range's totals: one row. */
export async function sumAll(tx: Tx, filter: SummaryFilter, scope: ScopeSql): Promise<TotalsRow> {
  const { cte, params } = filteredSql(filter, scope);
  const [row] = await tx.$queryRawUnsafe<TotalsRow[]>(`WITH ${cte} SELECT ${TOTALS} FROM filtered`, ...params);
  return row!;
}

/** Totals per provider and model, highest cost first, at most `limit`. */
export function sumPerModel(tx: Tx, filter: SummaryFilter, scope: ScopeSql, limit: number) {
  const { cte, params } = filteredSql(filter, scope);
  params.push(limit);
  return tx.$queryRawUnsafe<(TotalsRow & { provider: string; model: string })[]>(
    `WITH ${cte}
     SELECT provider AS "provider", model AS "model", ${TOTALS}
       FROM filtered GROUP BY provider, model
      ORDER BY "costUsd" DESC, "calls" DESC, provider, model
      LIMIT $${params.length}`,
    ...params,
  );
}

/** Totals per tool (null: calls that served no tool), highest cost first, at most `limit`. */
export function sumPerTool(tx: Tx, filter: SummaryFilter, scope: ScopeSql, limit: number) {
  const { cte, params } = filteredSql(filter, scope);
  params.push(limit);
  return tx.$queryRawUnsafe<(TotalsRow & { tool: string | null })[]>(
    `WITH ${cte}
     SELECT tool AS "tool", ${TOTALS}
       FROM filtered GROUP BY tool
      ORDER BY "costUsd" DESC, "calls" DESC, tool NULLS LAST
      LIMIT $${params.length}`,
    ...params,
  );
}
