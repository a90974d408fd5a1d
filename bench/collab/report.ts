/** The collab benchmark's printed table and its verdict on the targets. */
import { round, summarize } from "../stats";
import type { CommitFloor } from "./commit-floor";

type Row = {
  scenario: string;
  system: string;
  ack: ReturnType<typeof summarize>;
  remoteApply: ReturnType<typeof summarize>;
  editToAck: ReturnType<typeof summarize>;
  opsPerSecond: number;
  editsSubmittedPerSecond: number;
  editsProcessedInWindowPerSecond: number;
  processedPercent: number;
  serverCpuPercent: number;
  postgresBackendsCpuPercent: number | null;
  serverPeakRssMb: number;
  converged: string;
  machineLoad1m: { start: number; end: number };
};

export function printTable(raw: Record<string, unknown>[]) {
  const rows = raw as unknown as Row[];
  const header = [
    "scenario",
    "system",
    "ack p50/p95/p99 ms",
    "remote p50/p95/p99 ms",
    "edit→ack p99",
    "ops/s",
    "edits/s in/out",
    "processed",
    "CPU % (+PG)",
    "peak RSS MB",
    "converged",
    "load 1m",
  ];
  const fmt = (s: ReturnType<typeof summarize>) => (s.n === 0 ? "n/a" : `${s.p50}/${s.p95}/${s.p99}`);
  const lines = rows.map((r) => [
    r.scenario,
    r.system,
    fmt(r.ack),
    fmt(r.remoteApply),
    r.editToAck.n === 0 ? "n/a" : String(r.editToAck.p99),
    String(r.opsPerSecond),
    `${r.editsSubmittedPerSecond}/${r.editsProcessedInWindowPerSecond}`,
    `${r.processedPercent}%`,
    r.postgresBackendsCpuPercent === null
      ? String(r.serverCpuPercent)
      : `${r.serverCpuPercent} (+${r.postgresBackendsCpuPercent})`,
    String(r.serverPeakRssMb),
    r.converged,
    `${r.machineLoad1m.start}→${r.machineLoad1m.end}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  process.stdout.write(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n`);
  for (const l of lines) process.stdout.write(`${line(l)}\n`);
}

/**
 * One PASS/FAIL line per target. `sharedbLabel` names the reference rows; `floor`, when measured,
 * is what PostgreSQL alone manages in a closed loop, so a closed-loop FAIL says whether any
 * durable-ack server could pass on this machine.
 */
export function evaluateTargets(raw: Record<string, unknown>[], sharedbLabel: string, floor?: CommitFloor): string[] {
  const rows = raw as unknown as Row[];
  const out: string[] = ["", "Targets:"];
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const reference = rows.find((r) => r.scenario === scenario && r.system === sharedbLabel);
    for (const r of rows.filter((x) => x.scenario === scenario && x.system !== sharedbLabel)) {
      if (!reference) continue;
      const limit = 2 * reference.ack.p99;
      out.push(
        `${r.ack.p99 <= limit ? "PASS" : "FAIL"}  p99 ack within 2x ShareDB — ${scenario}, ${r.system}: ${r.ack.p99} ms vs limit ${round(limit)} ms (ShareDB ${reference.ack.p99} ms)`,
      );
      if (scenario.includes("50 editors")) {
        out.push(
          `${r.processedPercent === 100 ? "PASS" : "FAIL"}  100% of ops processed — ${r.system}: ${r.processedPercent}%`,
        );
      }
      if (scenario.includes("closed loop")) {
        const unreachable =
          floor && floor.opsPerSecond < reference.opsPerSecond
            ? ` — out of reach for any durable ack here: PostgreSQL alone commits ${floor.opsPerSecond}/s on one connection`
            : "";
        out.push(
          `${r.opsPerSecond >= reference.opsPerSecond ? "PASS" : "FAIL"}  closed-loop throughput >= ShareDB — ${r.system}: ${r.opsPerSecond} ops/s vs ${reference.opsPerSecond} ops/s${unreachable}`,
        );
      }
    }
  }
  return out;
}
