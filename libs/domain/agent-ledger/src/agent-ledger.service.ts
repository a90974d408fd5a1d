import type { RequestContext } from "@devflow/auth";
import {
  LEDGER_DIFF_BYTES_MAX,
  LEDGER_ERROR_MAX,
  LEDGER_INPUT_PREVIEW_MAX,
  LEDGER_JSON_BYTES_MAX,
  LedgerSourceSchema,
  RecordAgentExecutionInputSchema,
  type AgentExecutionDto,
  type AgentExecutionSummaryDto,
  type ListAgentExecutionsQuery,
  type LedgerSourceDto,
  type Page,
  type RecordAgentExecutionInput,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import {
  assertProjectFilter,
  assertReadsActivity,
  invalidEntry,
  readerScope,
  scopeWhere,
  type ActivityReaderScope,
} from "@devflow/domain-ai-activity";
import { encodeCursor, isUuid, notFound, readCursor } from "@devflow/util-core";
import { z } from "zod";
import * as repo from "./agent-ledger.repository";
import type { ExecutionDetailRow, ExecutionRow } from "./agent-ledger.repository";
import { boundJson, boundText, diffStats, redactSecrets, redactSecretValues } from "./ledger-bounds";

export type AgentLedgerService = ReturnType<typeof createAgentLedgerService>;

/** One tool run to record; the user comes from the context's actor. */
export type AgentExecutionEntry = RecordAgentExecutionInput;

/**
 * The agent execution ledger: what each tool an agent ran was asked, read and changed. Recording
 * redacts secrets and bounds sizes; reading follows the AI activity rule (admins see everything,
 * members their own runs and their visible projects'), and hides sources the reader can no longer open.
 */
export function createAgentLedgerService(db: Database) {
  return {
    /**
     * Records one finished run in the caller's organization, as its actor. Input and output are
     * stored without secrets and at most LEDGER_JSON_BYTES_MAX each (a marker with a preview
     * otherwise), the diff at most LEDGER_DIFF_BYTES_MAX. Throws validation_failed for a malformed
     * entry (a source without a document id, a negative duration…).
     */
    async record(ctx: RequestContext, entry: AgentExecutionEntry): Promise<{ id: string }> {
      const parsed = RecordAgentExecutionInputSchema.safeParse(entry);
      if (!parsed.success) throw invalidEntry("agent execution", parsed.error.issues);
      const e = parsed.data;
      const via = ctx.actor.via;
      // A run through an API token names it even when the caller forgot to.
      const tokenId = e.apiTokenId ?? (via?.kind === "api_token" && isUuid(via.tokenId) ? via.tokenId : null);
      const output = e.output === undefined ? undefined : boundJson(redactSecrets(e.output), LEDGER_JSON_BYTES_MAX);
      return db.withTenant(ctx, (tx) =>
        repo.insertExecution(tx, {
          organizationId: ctx.organizationId,
          userId: isUuid(ctx.actor.userId) ? ctx.actor.userId : null,
          projectId: e.projectId ?? null,
          agent: e.agent,
          tool: e.tool,
          apiTokenId: tokenId,
          status: e.status,
          input: boundJson(redactSecrets(e.input), LEDGER_JSON_BYTES_MAX) as object,
          ...(output !== undefined && output !== null && { output: output as object }),
          sources: e.sources as object[],
          diff: e.diff ? boundText(e.diff, LEDGER_DIFF_BYTES_MAX, "diff") : null,
          error: e.error ? redactSecretValues(e.error).slice(0, LEDGER_ERROR_MAX) : null,
          durationMs: e.durationMs,
          startedAt: e.startedAt,
          finishedAt: new Date(e.startedAt.getTime() + e.durationMs),
        }),
      );
    },

    /** Runs the reader may see, newest first, filtered, one page at a time. */
    async list(ctx: RequestContext, query: ListAgentExecutionsQuery): Promise<Page<AgentExecutionSummaryDto>> {
      assertReadsActivity(ctx);
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const before = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      return db.withTenant(ctx, async (tx) => {
        const scope = await readerScope(tx, ctx);
        await assertProjectFilter(tx, ctx, scope, query.projectId);
        const rows = await repo.listExecutions(tx, scopeWhere(scope), query, query.limit + 1, before);
        const page = rows.slice(0, query.limit);
        const names = await lookUpNames(tx, scope, page);
        const last = page.at(-1);
        return {
          items: page.map((row) => toSummaryDto(row, names)),
          nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        };
      });
    },

    /** One run in full, or not_found when it does not exist or the reader may not see it. */
    async get(ctx: RequestContext, executionId: string): Promise<AgentExecutionDto> {
      assertReadsActivity(ctx);
      if (!isUuid(executionId)) throw notFound("Agent execution", executionId.slice(0, 64));
      return db.withTenant(ctx, async (tx) => {
        const scope = await readerScope(tx, ctx);
        const row: ExecutionDetailRow | null = await repo.findExecution(tx, scopeWhere(scope), executionId);
        if (!row) throw notFound("Agent execution", executionId);
        const names = await lookUpNames(tx, scope, [row]);
        return { ...toSummaryDto(row, names), input: row.input, output: row.output, diff: row.diff };
      });
    },
  };
}

interface Names {
  users: ReadonlyMap<string, { name: string; email: string }>;
  projects: ReadonlyMap<string, string>;
  tokens: ReadonlyMap<string, string>;
  /** Documents the reader may open; null when they may open every one (organization-wide readers). */
  readableDocuments: ReadonlySet<string> | null;
}

/** People, projects, tokens and readable documents behind a page of runs, in a few queries. */
async function lookUpNames(tx: Tx, scope: ActivityReaderScope, rows: readonly ExecutionRow[]): Promise<Names> {
  const ids = (pick: (row: ExecutionRow) => string | null) =>
    [...new Set(rows.map(pick))].filter((id): id is string => id !== null);
  const documentIds = [...new Set(rows.flatMap((row) => sourcesOf(row).map((s) => s.documentId)))];
  // One after another: the queries share the transaction's single connection.
  const users = await repo.findUsers(
    tx,
    ids((r) => r.userId),
  );
  const projects = await repo.findProjects(
    tx,
    ids((r) => r.projectId),
  );
  const tokens = await repo.findApiTokens(
    tx,
    ids((r) => r.apiTokenId),
  );
  const readableDocuments =
    scope.kind === "organization" ? null : await repo.findReadableDocumentIds(tx, documentIds, scope.visibleProjectIds);
  return {
    users: new Map(users.map((u) => [u.id, u])),
    projects: new Map(projects.map((p) => [p.id, p.name])),
    tokens: new Map(tokens.map((t) => [t.id, t.name])),
    readableDocuments,
  };
}

const StoredSourcesSchema = z.array(LedgerSourceSchema);

/** The stored sources, or none when the column holds something else (rows written by older code). */
function sourcesOf(row: ExecutionRow): LedgerSourceDto[] {
  const parsed = StoredSourcesSchema.safeParse(row.sources);
  return parsed.success ? parsed.data : [];
}

function toSummaryDto(row: ExecutionRow, names: Names): AgentExecutionSummaryDto {
  const sources = sourcesOf(row);
  const readable = names.readableDocuments;
  const shown = readable === null ? sources : sources.filter((s) => readable.has(s.documentId));
  const user = row.userId ? names.users.get(row.userId) : undefined;
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    agent: row.agent,
    tool: row.tool,
    status: row.status,
    error: row.error,
    user: row.userId ? { id: row.userId, name: user?.name ?? null, email: user?.email ?? null } : null,
    project: row.projectId ? { id: row.projectId, name: names.projects.get(row.projectId) ?? null } : null,
    apiToken: row.apiTokenId ? { id: row.apiTokenId, name: names.tokens.get(row.apiTokenId) ?? null } : null,
    inputPreview: preview(row.input),
    sources: shown,
    hiddenSourceCount: sources.length - shown.length,
    diffStats: row.diff ? diffStats(row.diff) : null,
  };
}

function preview(input: unknown): string {
  const text = JSON.stringify(input) ?? "";
  return text.length > LEDGER_INPUT_PREVIEW_MAX ? `${text.slice(0, LEDGER_INPUT_PREVIEW_MAX - 1)}…` : text;
}
