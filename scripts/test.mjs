#!/usr/bin/env node
// The one test command (`npm test`): lint, typecheck, unit, integration on PostgreSQL, integration on
// embedded PGlite, browser e2e, deployment start-up — in that order — then one summary line, always
// the last line printed:
//
//   N passed, N failed
//
// N are test counts summed over the vitest projects and Playwright, read from their JSON reports
// (test-results/*.json). A test file that crashes before reporting any test, or a test step that
// produces no report at all, counts as one failure, so a broken step can never read as "0 failed".
// Lint and typecheck have no tests; their failures show in the step table and the exit code.
//
// Every step runs even when an earlier one failed (one CI run shows every problem); --bail stops early.
// Exit code: 0 only if every step that ran succeeded.
//
// Usage: node scripts/test.mjs [--skip-e2e] [--only <step>[,<step>…]] [--bail]
//   steps: lint, typecheck, unit, integration, integration-embedded, e2e, deploy
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const reportDir = path.join(root, "test-results");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** @typedef {{ passed: number, failed: number, note?: string }} Counts */
/**
 * @typedef {object} Step
 * @property {string} name
 * @property {string} title
 * @property {string} command          executable
 * @property {string[]} args
 * @property {string} [report]         JSON report path this step writes, if it runs tests
 * @property {(report: string) => Counts} [count]
 */

/** @type {Step[]} */
const STEPS = [
  { name: "lint", title: "ESLint", command: bin("eslint"), args: ["."] },
  {
    // One program over the whole repository: each project's own typecheck target (nx run-many -t
    // typecheck) re-checks every library it imports, which took ten times as long.
    name: "typecheck",
    title: "TypeScript (the whole repository as one program, tsconfig.typecheck.json)",
    command: bin("tsc"),
    args: ["-p", "tsconfig.typecheck.json"],
  },
  vitestStep("unit", "Unit tests"),
  vitestStep("integration", "Integration tests on PostgreSQL"),
  vitestStep("integration-embedded", "Integration tests on embedded PGlite"),
  {
    name: "e2e",
    title: "Browser end-to-end tests (Playwright, Debian Chromium)",
    command: bin("playwright"),
    args: ["test", "-c", "e2e/playwright.config.ts"],
    report: path.join(reportDir, "e2e.json"),
    count: countPlaywright,
  },
  // After e2e, whose production build of web it reuses instead of building a second time.
  vitestStep("deploy", "Deployment: each app started from its image's contents, as its container starts"),
];

/** @returns {Step} */
function vitestStep(project, title) {
  const report = path.join(reportDir, `vitest-${project}.json`);
  return {
    name: project,
    title,
    command: bin("vitest"),
    args: ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    report,
    count: countVitest,
  };
}

/** Vitest's JSON report; a file that failed without a failing test (import error, hook crash) counts once. */
function countVitest(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const crashedFiles = (r.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + crashedFiles,
    note: crashedFiles ? `${crashedFiles} test file(s) failed before reporting a test` : undefined,
  };
}

/** Playwright's JSON report: flaky tests passed on retry; top-level errors (config, no tests) count once. */
function countPlaywright(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const s = r.stats ?? {};
  const errors = r.errors ?? [];
  const firstError = errors[0]?.message?.split("\n")[0];
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + (errors.length && !s.unexpected ? 1 : 0),
    note:
      [s.flaky ? `${s.flaky} flaky (passed on retry)` : "", firstError ?? ""].filter(Boolean).join("; ") || undefined,
  };
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      "skip-e2e": { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      bail: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "Usage: node scripts/test.mjs [--skip-e2e] [--only <step>[,<step>…]] [--bail]\n" +
        `Steps, in order: ${STEPS.map((s) => s.name).join(", ")}`,
    );
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((v) => v.split(",")).filter(Boolean);
  const unknown = only.filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`Unknown step(s): ${unknown.join(", ")}. Steps: ${STEPS.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  return {
    steps: STEPS.filter((s) => (only.length ? only.includes(s.name) : true)).filter(
      (s) => !(values["skip-e2e"] && s.name === "e2e"),
    ),
    bail: values.bail,
  };
}

/** Runs one command with inherited stdio; resolves with its exit code (a signal or spawn error is 1). */
function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env });
    child.on("error", (err) => {
      console.error(`could not start ${command}: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

const fmtTime = (ms) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;

async function main() {
  const { steps, bail } = parseCli();
  mkdirSync(reportDir, { recursive: true });
  const env = {
    ...process.env,
    NX_DAEMON: "false",
    NX_TUI: "false",
    NEXT_TELEMETRY_DISABLED: "1",
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
  };

  /** @type {{ step: Step, ok: boolean, ms: number, counts?: Counts }[]} */
  const results = [];
  for (const [i, step] of steps.entries()) {
    console.log(`\n━━━ [${i + 1}/${steps.length}] ${step.name}: ${step.title}`);
    console.log(`$ ${path.relative(root, step.command) || step.command} ${step.args.join(" ")}\n`);
    if (step.report) rmSync(step.report, { force: true }); // never read a previous run's report

    const started = Date.now();
    // The web build type-checks by itself unless told that this run already did (next.config.ts).
    const typechecked = results.some((r) => r.step.name === "typecheck" && r.ok);
    const code = await run(step.command, step.args, typechecked ? { ...env, DEVFLOW_WEB_TYPECHECKED: "1" } : env);
    const ms = Date.now() - started;

    let counts;
    if (step.report) {
      if (existsSync(step.report)) {
        try {
          counts = step.count(step.report);
        } catch (err) {
          counts = { passed: 0, failed: 1, note: `unreadable report: ${err.message}` };
        }
      } else {
        counts = { passed: 0, failed: 1, note: "no report written (the runner did not start or crashed)" };
      }
      // A non-zero exit with every test green (e.g. "no tests found", a coverage threshold) is still a failure.
      if (code !== 0 && counts.failed === 0)
        counts = { ...counts, failed: 1, note: counts.note ?? `exit code ${code}` };
    }
    const ok = code === 0;
    results.push({ step, ok, ms, counts });
    console.log(`\n━━━ ${step.name}: ${ok ? "ok" : `FAILED (exit ${code})`} in ${fmtTime(ms)}`);
    if (!ok && bail) break;
  }

  const skipped = STEPS.filter((s) => !results.some((r) => r.step === s)).map((s) => s.name);
  const width = Math.max(...results.map((r) => r.step.name.length));
  console.log("\n━━━ Summary");
  for (const { step, ok, ms, counts } of results) {
    const tests = counts ? `${counts.passed} passed, ${counts.failed} failed` : "";
    const note = counts?.note ? ` (${counts.note})` : "";
    console.log(`  ${ok ? "✓" : "✗"} ${step.name.padEnd(width)}  ${fmtTime(ms).padStart(6)}  ${tests}${note}`);
  }
  if (skipped.length) console.log(`  – skipped: ${skipped.join(", ")}`);
  const failedSteps = results.filter((r) => !r.ok).map((r) => r.step.name);
  if (failedSteps.length) console.log(`  failed steps: ${failedSteps.join(", ")}`);

  const passed = results.reduce((n, r) => n + (r.counts?.passed ?? 0), 0);
  const failed = results.reduce((n, r) => n + (r.counts?.failed ?? 0), 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failedSteps.length ? 1 : 0;
}

await main();
