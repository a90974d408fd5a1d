import { DORA_WINDOW_DAYS_DEFAULT, DORA_WINDOW_DAYS_OPTIONS } from "@devflow/contracts";

export type WindowDays = (typeof DORA_WINDOW_DAYS_OPTIONS)[number];

const DAY_MS = 86_400_000;

/** The window the URL's `?days=` asks for, or the default for anything the page does not offer. */
export function readWindowDays(value: string | null): WindowDays {
  const days = Number(value);
  return (DORA_WINDOW_DAYS_OPTIONS as readonly number[]).includes(days)
    ? (days as WindowDays)
    : (DORA_WINDOW_DAYS_DEFAULT as WindowDays);
}

/** The last `days` whole UTC days, today included: `from` inclusive, `to` (tomorrow) exclusive. */
export function windowOf(days: number, now: Date = new Date()): { from: string; to: string } {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: dayOf(tomorrow - days * DAY_MS), to: dayOf(tomorrow) };
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
