const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en");
const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

/** "$1.23"; small amounts keep enough digits to not read as zero ("$0.0042"). */
export function formatCost(usd: number): string {
  if (usd === 0) return "$0.00";
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(6).replace(/0+$/, "")}`;
}

/** "950", "12.3K", "4.5M": tokens are read for their size, not their last digit. */
export function formatCount(n: number): string {
  return Math.abs(n) < 1000 ? whole.format(n) : compact.format(n);
}

export function formatExactCount(n: number): string {
  return whole.format(n);
}

/** "850 ms", "1.2 s", "2 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "Nov 3" for a UTC day `2026-11-03`. */
export function formatDay(day: string): string {
  return dayLabel.format(new Date(`${day}T00:00:00.000Z`));
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return "0%";
  const value = (part / whole) * 100;
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}
