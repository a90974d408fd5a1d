import {
  AGENT_EXECUTION_STATUSES,
  AI_ACTIVITY_SUMMARY_DAYS_DEFAULT,
  AI_ACTIVITY_SUMMARY_DAYS_MAX,
  AI_CALL_STATUSES,
  AI_SURFACES,
  type AgentExecutionStatus,
  type AiCallStatus,
  type AiSurface,
} from "@devflow/contracts";
import type { AgentExecutionFilterArgs, AiActivityFilterArgs } from "@devflow/web-data-access";

export const ACTIVITY_TABS = ["calls", "ledger"] as const;
export type ActivityTab = (typeof ACTIVITY_TABS)[number];

/**
 * The page's filters as the URL holds them (so a filtered view can be bookmarked and shared). Days
 * are UTC and inclusive at both ends, as people read them; the API's `to` is exclusive.
 */
export interface ActivityFilters {
  tab: ActivityTab;
  projectId: string;
  from: string;
  to: string;
  /** Calls tab. */
  surface: AiSurface | "";
  model: string;
  status: AiCallStatus | "";
  /** Ledger tab. */
  agent: string;
  tool: string;
  outcome: AgentExecutionStatus | "";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEXT_MAX = 200;

export function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** `day` moved by `days` (UTC). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today in UTC, the zone the buckets are in. */
export function todayUtc(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The range shown when the URL names none: the last 30 days, today included. */
export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, 1 - AI_ACTIVITY_SUMMARY_DAYS_DEFAULT), to: today };
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : "";
}

function text(value: string | null): string {
  return (value ?? "").trim().slice(0, TEXT_MAX);
}

/**
 * The filters a URL names. Anything malformed (a hand-edited link) is ignored rather than refused;
 * a range backwards is swapped and one longer than the summary allows is shortened from the start.
 */
export function readFilters(params: URLSearchParams, today: string): ActivityFilters {
  const fallback = defaultRange(today);
  const fromParam = params.get("from") ?? "";
  const toParam = params.get("to") ?? "";
  let from = isDay(fromParam) ? fromParam : fallback.from;
  let to = isDay(toParam) ? toParam : isDay(fromParam) && fromParam > today ? fromParam : today;
  if (from > to) [from, to] = [to, from];
  const earliest = addDays(to, 1 - AI_ACTIVITY_SUMMARY_DAYS_MAX);
  if (from < earliest) from = earliest;
  const projectId = params.get("projectId") ?? "";
  return {
    tab: oneOf(params.get("tab"), ACTIVITY_TABS) || "calls",
    projectId: UUID.test(projectId) ? projectId : "",
    from,
    to,
    surface: oneOf(params.get("surface"), AI_SURFACES),
    model: text(params.get("model")),
    status: oneOf(params.get("status"), AI_CALL_STATUSES),
    agent: text(params.get("agent")),
    tool: text(params.get("tool")),
    outcome: oneOf(params.get("outcome"), AGENT_EXECUTION_STATUSES),
  };
}

/** The query string for `filters`, leaving out what is the default (so plain links stay plain). */
export function filtersToSearch(filters: ActivityFilters, today: string): string {
  const fallback = defaultRange(today);
  const params = new URLSearchParams();
  const set = (key: string, value: string, unless = "") => {
    if (value !== unless) params.set(key, value);
  };
  set("tab", filters.tab, "calls");
  set("projectId", filters.projectId);
  const isDefaultRange = filters.from === fallback.from && filters.to === fallback.to;
  if (!isDefaultRange) {
    set("from", filters.from);
    set("to", filters.to);
  }
  set("surface", filters.surface);
  set("model", filters.model);
  set("status", filters.status);
  set("agent", filters.agent);
  set("tool", filters.tool);
  set("outcome", filters.outcome);
  return params.toString();
}

/** Whether anything but the tab and the default range is filtered. */
export function hasFilters(filters: ActivityFilters, tab: ActivityTab): boolean {
  const shared = filters.projectId !== "";
  return tab === "calls"
    ? shared || filters.surface !== "" || filters.model !== "" || filters.status !== ""
    : shared || filters.agent !== "" || filters.tool !== "" || filters.outcome !== "";
}

/** The calls tab's API arguments (list and summary): the inclusive `to` day becomes the exclusive next day. */
export function callArgs(filters: ActivityFilters): AiActivityFilterArgs {
  return {
    projectId: filters.projectId || undefined,
    surface: filters.surface,
    model: filters.model || undefined,
    status: filters.status,
    from: filters.from,
    to: addDays(filters.to, 1),
  };
}

/** The ledger tab's API arguments. */
export function ledgerArgs(filters: ActivityFilters): AgentExecutionFilterArgs {
  return {
    projectId: filters.projectId || undefined,
    agent: filters.agent || undefined,
    tool: filters.tool || undefined,
    status: filters.outcome,
    from: filters.from,
    to: addDays(filters.to, 1),
  };
}
