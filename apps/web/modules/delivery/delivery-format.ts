const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A lead or restore time at the precision people read it with: "45 min", "3.5 h", "2.1 d"; "—" for none. */
export function formatSpan(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) return `${trim(ms / HOUR)} h`;
  return `${trim(ms / DAY)} d`;
}

/** "33%", "2.5%"; "—" when there was nothing to divide. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  const percent = rate * 100;
  return `${percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** "2.5", "0.36", "12": a frequency with two significant decimals at most. */
export function formatFrequency(value: number): string {
  return value >= 10 ? String(Math.round(value)) : trim(value, 2);
}

/** "Mar 3" for a UTC day `2026-03-03`. */
export function formatDay(day: string): string {
  return dayLabel.format(new Date(`${day}T00:00:00.000Z`));
}

/** The first 7 characters of a commit, as GitHub shows them. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function trim(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}
