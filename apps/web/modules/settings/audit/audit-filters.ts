import type { AuditLogFilterArgs } from "@devflow/web-data-access";

/** The filters as the form holds them: days are inclusive on both ends, in UTC. */
export interface AuditFilterForm {
  action: string;
  actor: { id: string; label: string } | null;
  fromDay: string;
  toDay: string;
}

export const EMPTY_FILTERS: AuditFilterForm = { action: "", actor: null, fromDay: "", toDay: "" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day after `day` (YYYY-MM-DD, UTC): the API's `to` is exclusive, the form's "to" day is not. */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The API's filter arguments for the form: blank fields are left out, half-typed days ignored. */
export function toFilterArgs(form: AuditFilterForm): AuditLogFilterArgs {
  return {
    ...(form.action && { action: form.action as AuditLogFilterArgs["action"] }),
    ...(form.actor && { actorUserId: form.actor.id }),
    ...(DAY.test(form.fromDay) && { from: form.fromDay }),
    ...(DAY.test(form.toDay) && { to: nextDay(form.toDay) }),
  };
}

export function hasFilters(form: AuditFilterForm): boolean {
  return form.action !== "" || form.actor !== null || form.fromDay !== "" || form.toDay !== "";
}

/** "api_token.created" → "API token created", for the action filter's options. */
export function actionLabel(action: string): string {
  const text = action
    .replace(".", " ")
    .replaceAll("_", " ")
    .replace(/^api token/, "API token")
    .replace(/^sso/, "SSO")
    .replace(/^oauth/, "OAuth");
  return text.replace(/\bscim\b/, "SCIM").replace(/^./, (c) => c.toUpperCase());
}
