/**
 * A y axis for values up to `max`: ticks from 0 at a "nice" step (1, 2, 2.5 or 5 × 10ⁿ), about
 * `count` of them, the last at or above `max`. An empty chart still gets an axis of 0…1.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    // Rounded so that 0.1 × 3 is 0.3, not 0.30000000000000004.
    const tick = Number((step * i).toPrecision(12));
    ticks.push(tick);
    if (tick >= max) return ticks;
  }
}

/** Which of `n` bars get a label so that at most `most` do, evenly spaced, always the first. */
export function labelEvery(n: number, most = 8): number {
  return Math.max(1, Math.ceil(n / most));
}
