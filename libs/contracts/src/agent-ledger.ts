import { z } from "zod";
import { PageQuerySchema } from "./pagination";

/*
 * The agent ledger: one row per tool an agent (an MCP client, the in-app assistant) ran in the
 * workspace, with what it was asked, what it read and what it changed. Stored sizes are bounded so a
 * chatty client cannot bloat the table: past a limit, JSON is replaced by a marker holding a preview.
 */

/** Most bytes of JSON (UTF-8) kept for a tool's input, and for its output. */
export const LEDGER_JSON_BYTES_MAX = 16 * 1024;
/** Most bytes of unified diff kept for a write tool. */
export const LEDGER_DIFF_BYTES_MAX = 64 * 1024;
/** Most characters of error message kept. */
export const LEDGER_ERROR_MAX = 4_000;
/** Most sources kept for one run (a search reads a few dozen passages at most). */
export const LEDGER_SOURCES_MAX = 200;
export const LEDGER_AGENT_NAME_MAX = 200;
export const LEDGER_TOOL_NAME_MAX = 100;
export const LEDGER_SOURCE_TITLE_MAX = 500;
/** Characters of input shown in a list row; the detail view shows it all. */
export const LEDGER_INPUT_PREVIEW_MAX = 240;

/**
 * The key of the object stored instead of JSON that was too big:
 * `{ "$truncated": true, "originalBytes": 123456, "preview": "<the start of the JSON text>" }`.
 */
export const LEDGER_TRUNCATED_KEY = "$truncated";
/** What replaces the value of a key that looks like a secret (token, password, api key…). */
export const LEDGER_REDACTED = "[redacted]";

/** How a recorded run ended. The table's `run_status` also has queued/running/cancelled for long runs. */
export const AGENT_EXECUTION_OUTCOMES = ["succeeded", "failed"] as const;
export const AgentExecutionOutcomeSchema = z.enum(AGENT_EXECUTION_OUTCOMES);
export const AGENT_EXECUTION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const AgentExecutionStatusSchema = z.enum(AGENT_EXECUTION_STATUSES);
export type AgentExecutionStatus = z.infer<typeof AgentExecutionStatusSchema>;

/** A passage a tool read: a range of a document's text at `version` (UTF-16 offsets, like search). */
export const LedgerSourceSchema = z
  .object({
    documentId: z.uuid(),
    title: z.string().trim().max(LEDGER_SOURCE_TITLE_MAX),
    version: z.number().int().min(0),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(0).optional(),
  })
  .refine((s) => s.start === undefined || s.end === undefined || s.end >= s.start, {
    message: "A source's end must not be before its start",
    path: ["end"],
  });
export type LedgerSourceDto = z.infer<typeof LedgerSourceSchema>;

/**
 * One tool run as services record it (`createAgentLedgerService(db).record`). `input`, `output` and
 * `diff` may be any size: the service redacts and bounds them before storing.
 */
export const RecordAgentExecutionInputSchema = z.object({
  agent: z.string().trim().min(1).max(LEDGER_AGENT_NAME_MAX),
  tool: z.string().trim().min(1).max(LEDGER_TOOL_NAME_MAX),
  apiTokenId: z.uuid().nullish(),
  projectId: z.uuid().nullish(),
  input: z.unknown(),
  output: z.unknown().optional(),
  sources: z.array(LedgerSourceSchema).max(LEDGER_SOURCES_MAX),
  diff: z.string().nullish(),
  status: AgentExecutionOutcomeSchema,
  error: z.string().nullish(),
  durationMs: z.number().int().min(0).max(2_147_483_647),
  startedAt: z.date(),
});
export type RecordAgentExecutionInput = z.input<typeof RecordAgentExecutionInputSchema>;

const PersonSchema = z.object({ id: z.uuid(), name: z.string().nullable(), email: z.string().nullable() });

/** A run as a list shows it: everything but the full input, output and diff. */
export const AgentExecutionSummarySchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  /** The client as it named itself (MCP clientInfo, "DevFlow assistant"). */
  agent: z.string(),
  tool: z.string().nullable(),
  status: AgentExecutionStatusSchema,
  error: z.string().nullable(),
  user: PersonSchema.nullable(),
  project: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  /** The API token the agent authenticated with; `name` is null once the token is deleted. */
  apiToken: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  /** The start of the input as JSON text, at most LEDGER_INPUT_PREVIEW_MAX characters. */
  inputPreview: z.string(),
  /** The sources the reader may still open. */
  sources: z.array(LedgerSourceSchema),
  /** Sources left out because the reader can no longer see their document (private project, deleted). */
  hiddenSourceCount: z.number().int().min(0),
  /** Lines added and removed by the diff, or null when the tool changed nothing. */
  diffStats: z.object({ added: z.number().int(), removed: z.number().int() }).nullable(),
});
export type AgentExecutionSummaryDto = z.infer<typeof AgentExecutionSummarySchema>;

/** One run in full: `GET /api/v1/agent-executions/:id`. */
export const AgentExecutionSchema = AgentExecutionSummarySchema.extend({
  input: z.unknown(),
  output: z.unknown().nullable(),
  diff: z.string().nullable(),
});
export type AgentExecutionDto = z.infer<typeof AgentExecutionSchema>;

const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());
const DateBoundSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Use a date (YYYY-MM-DD) or an ISO 8601 time" })
  .transform((value) => new Date(value));

/** `GET /api/v1/agent-executions`: runs newest first. `from` is inclusive, `to` exclusive. */
export const ListAgentExecutionsQuerySchema = PageQuerySchema.extend({
  projectId: optional(z.uuid()),
  agent: optional(z.string().trim().max(LEDGER_AGENT_NAME_MAX)),
  tool: optional(z.string().trim().max(LEDGER_TOOL_NAME_MAX)),
  status: optional(AgentExecutionStatusSchema),
  userId: optional(z.uuid()),
  from: optional(DateBoundSchema),
  to: optional(DateBoundSchema),
}).refine((f) => !f.from || !f.to || f.from < f.to, { message: "`from` must be before `to`", path: ["to"] });
export type ListAgentExecutionsQuery = z.infer<typeof ListAgentExecutionsQuerySchema>;
