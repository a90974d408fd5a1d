import {
  PR_ANALYSIS_FINDINGS_MAX,
  type DocRef,
  type PrAnalysis,
  type PrFinding,
  type PrLinkedIssue,
  type PrReviewer,
} from "@devflow/contracts";
import { ownersOfFiles, parseCodeOwners } from "./codeowners";
import { docCompliance, type DocMentions } from "./doc-compliance";
import { areaOf, fileKind, groupFiles, type ChangedFile } from "./file-groups";
import { bySeverity, findLineFindings } from "./findings";
import type { AddedLine } from "./patch-lines";
import { conclusionOf, evaluateGates, gateSettingsOf } from "./quality-gates";

/** A changed file as the fetch step stored it. */
export interface FetchedFile extends ChangedFile {
  previousFilename: string | null;
  /** The lines it adds; null when GitHub sent no diff (binary, too large) or it was over the step's budget. */
  added: AddedLine[] | null;
}

/** The fetch step's output: the pull request at its head commit. */
export interface FetchedPullRequest {
  headSha: string;
  title: string;
  body: string;
  author: string | null;
  /** What GitHub reports for the whole pull request, including files past the fetch limit. */
  totalFiles: number;
  totalAdditions: number;
  totalDeletions: number;
  files: FetchedFile[];
  commits: { sha: string; author: string | null; message: string }[];
  /** The repository's CODEOWNERS at the base branch; null without one, absent in runs from before it was read. */
  codeOwners?: string | null;
}

/** Another pull request of the repository that DevFlow analysed: who wrote it and where. */
export interface ReviewHistory {
  login: string | null;
  directories: readonly string[];
}

export interface AnalysisInput {
  pr: FetchedPullRequest;
  docs: readonly DocRef[];
  mentions: Readonly<Record<string, DocMentions>>;
  /** The issues the title and body reference, looked up in the stored issues. */
  linkedIssues?: readonly PrLinkedIssue[];
  /** repositories.settings, as stored. */
  repositorySettings: unknown;
  /** This pull request's previous analysis, for first sightings and the sticky comment's id. */
  previous: PrAnalysis | null;
  history: readonly ReviewHistory[];
  now: Date;
}

const SENSITIVE =
  /(^|\/)(auth|authn|authz|security|crypto|permissions?|polic(y|ies)|rls|sessions?|oauth|sso|saml|secrets?)(\/|\.|-|_)/i;
const REVIEWERS_MAX = 5;

/** Analyses a fetched pull request: pure, so every rule is testable without GitHub or a database. */
export function analyzePullRequest(input: AnalysisInput): PrAnalysis {
  const { pr, docs } = input;
  const files = pr.files;
  const fetched = { additions: sum(files, "additions"), deletions: sum(files, "deletions") };
  const unfetched = {
    files: Math.max(0, pr.totalFiles - files.length),
    additions: Math.max(0, pr.totalAdditions - fetched.additions),
    deletions: Math.max(0, pr.totalDeletions - fetched.deletions),
  };
  const groups = groupFiles(files, unfetched);
  const directories = [...new Set(files.map((file) => areaOf(file.filename)))].sort().slice(0, 50);

  const known = new Map((input.previous?.findings ?? []).map((f) => [f.fingerprint, f.firstSeenSha]));
  const allFindings = bySeverity(findLineFindings(files, pr.headSha, known));
  const findings = allFindings.slice(0, PR_ANALYSIS_FINDINGS_MAX);

  const kinds = files.map((file) => ({ file, kind: fileKind(file.filename) }));
  const sourceAreas = new Set(kinds.filter((k) => k.kind === "source").map((k) => areaOf(k.file.filename)));
  const testAreas = new Set(kinds.filter((k) => k.kind === "test").map((k) => areaOf(k.file.filename)));
  const missingTests = [...sourceAreas].filter((area) => !testAreas.has(area)).sort();
  const sourceChanged = sourceAreas.size > 0;
  const testsChanged = testAreas.size > 0;

  const risk = riskOf({
    additions: pr.totalAdditions,
    deletions: pr.totalDeletions,
    totalFiles: pr.totalFiles,
    unfetchedFiles: unfetched.files,
    files,
    findings: allFindings,
    sourceChanged,
    testsChanged,
  });
  const securityConcerns = securityConcernsOf(files, allFindings);
  const compliance = docs
    .filter((doc) => input.mentions[doc.documentId])
    .map((doc) => docCompliance(doc, input.mentions[doc.documentId]!, files));
  const { gates: settings, invalid } = gateSettingsOf(input.repositorySettings);
  const gates = evaluateGates(settings, { risk: risk.score, sourceChanged, testsChanged, docs });
  if (invalid) {
    for (const gate of gates) gate.reason += " (repository settings invalid: defaults used)";
  }
  const commitAuthors = pr.commits.map((commit) => commit.author);
  return {
    v: 1,
    headSha: pr.headSha,
    analyzedAt: input.now.toISOString(),
    summary: {
      totalFiles: pr.totalFiles,
      analyzedFiles: files.length,
      unscannedFiles: files.filter((file) => file.added === null).length,
      additions: pr.totalAdditions,
      deletions: pr.totalDeletions,
      commits: pr.commits.length,
      groups,
      directories,
    },
    risk,
    effort: effortOf(pr.totalAdditions + pr.totalDeletions, pr.totalFiles),
    findings,
    omittedFindings: allFindings.length - findings.length,
    securityConcerns,
    missingTests,
    docs: [...docs],
    compliance,
    reviewers: mergeReviewers(
      ownersOfFiles(
        parseCodeOwners(pr.codeOwners ?? ""),
        files.map((file) => file.filename),
        [pr.author],
      ),
      suggestReviewers(directories, input.history, [pr.author, ...commitAuthors]),
    ),
    linkedIssues: [...(input.linkedIssues ?? [])],
    gates,
    conclusion: conclusionOf(gates),
    commentId: input.previous?.commentId ?? null,
    checkRunId: null,
  };
}

interface RiskFacts {
  additions: number;
  deletions: number;
  totalFiles: number;
  unfetchedFiles: number;
  files: readonly FetchedFile[];
  findings: readonly PrFinding[];
  sourceChanged: boolean;
  testsChanged: boolean;
}

/**
 * Risk 0–100, the sum of the reasons that apply (capped at 100), each reason with its points so
 * the score can be argued with: size in lines and files, sensitive paths (auth and security,
 * migrations, infrastructure), source without tests, mostly-deleting changes, likely secrets and
 * many warnings, and files left unread.
 */
export function riskOf(facts: RiskFacts): PrAnalysis["risk"] {
  const reasons: PrAnalysis["risk"]["reasons"] = [];
  const add = (rule: string, points: number, detail: string) => reasons.push({ rule, points, detail });
  const lines = facts.additions + facts.deletions;
  if (lines > 1000) add("size", 30, `${lines} lines changed (over 1000)`);
  else if (lines > 400) add("size", 20, `${lines} lines changed (over 400)`);
  else if (lines > 100) add("size", 10, `${lines} lines changed (over 100)`);
  if (facts.totalFiles > 50) add("file-count", 10, `${facts.totalFiles} files changed (over 50)`);
  const paths = facts.files.map((file) => file.filename);
  const sensitive = paths.filter((path) => SENSITIVE.test(path));
  if (sensitive.length > 0) add("sensitive-paths", 15, `Touches auth/security code: ${listed(sensitive)}`);
  const migrations = paths.filter((path) => fileKind(path) === "migration");
  if (migrations.length > 0) add("migrations", 15, `Changes database migrations: ${listed(migrations)}`);
  const infra = paths.filter((path) => fileKind(path) === "infra");
  if (infra.length > 0) add("infrastructure", 10, `Changes infrastructure or CI: ${listed(infra)}`);
  if (facts.sourceChanged && !facts.testsChanged) add("missing-tests", 15, "Source files changed, no test file did");
  if (facts.deletions > 50 && facts.deletions / Math.max(1, lines) > 0.6) {
    add("deletions", 10, `${Math.round((facts.deletions / lines) * 100)}% of changed lines are deletions`);
  }
  const secrets = facts.findings.filter((f) => f.rule === "possible-secret").length;
  if (secrets > 0) add("possible-secrets", 25, `${secrets} line(s) look like committed credentials`);
  const warnings = facts.findings.filter((f) => f.severity === "warning").length;
  if (warnings >= 5) add("warnings", 5, `${warnings} warnings in added lines`);
  if (facts.unfetchedFiles > 0) add("unread-files", 10, `${facts.unfetchedFiles} files were past the fetch limit`);
  const score = Math.min(
    100,
    reasons.reduce((total, reason) => total + reason.points, 0),
  );
  return { score, level: score >= 60 ? "high" : score >= 30 ? "medium" : "low", reasons };
}

/** T-shirt size by lines changed, and review minutes: 10 + 1 per 20 lines + 2 per file, at most 8 hours. */
export function effortOf(lines: number, files: number): PrAnalysis["effort"] {
  const size = lines <= 10 ? "XS" : lines <= 100 ? "S" : lines <= 400 ? "M" : lines <= 1000 ? "L" : "XL";
  const reviewMinutes = Math.min(480, Math.round(10 + lines / 20 + files * 2));
  return { size, reviewMinutes, basis: `${lines} lines in ${files} files` };
}

function securityConcernsOf(files: readonly FetchedFile[], findings: readonly PrFinding[]): string[] {
  const concerns = findings
    .filter((f) => f.rule === "possible-secret")
    .map((f) => `Possible credential at ${f.file}:${f.line}: rotate it if real, and load it from configuration`);
  const paths = files.map((file) => file.filename);
  const sensitive = paths.filter((path) => SENSITIVE.test(path));
  if (sensitive.length > 0) concerns.push(`Auth/security code changed: ${listed(sensitive)}`);
  const workflows = paths.filter((path) => path.startsWith(".github/workflows/"));
  if (workflows.length > 0) concerns.push(`CI workflows changed (what CI may run and access): ${listed(workflows)}`);
  const lint = findings.filter((f) => f.rule === "lint-disabled").length;
  if (lint > 0) concerns.push(`${lint} lint or type check(s) switched off`);
  return concerns;
}

/**
 * The code owners of the changed files first (most files first), then the reviewers from history,
 * each once (a code owner keeps the owner's reason) and at most five, each saying why.
 */
export function mergeReviewers(
  owners: readonly { owner: string; files: number }[],
  history: PrAnalysis["reviewers"],
): PrReviewer[] {
  const merged: PrReviewer[] = owners.map(({ owner, files }) => ({
    login: owner,
    pullRequests: 0,
    directories: [],
    kind: "owner",
    reason: `owns ${files} changed ${files === 1 ? "file" : "files"}`,
  }));
  for (const reviewer of history) {
    if (merged.some((r) => r.login.toLowerCase() === reviewer.login.toLowerCase())) continue;
    merged.push({
      ...reviewer,
      kind: "history",
      reason: `wrote ${reviewer.pullRequests} analysed pull request(s) in ${reviewer.directories.join(", ")}`,
    });
  }
  return merged.slice(0, REVIEWERS_MAX);
}

/**
 * Up to five people who wrote other analysed pull requests in the same directories, most shared
 * directories first, then most pull requests. The author and the commits' authors are left out
 * (they wrote this one), and so are bots.
 */
export function suggestReviewers(
  directories: readonly string[],
  history: readonly ReviewHistory[],
  exclude: readonly (string | null)[],
): PrAnalysis["reviewers"] {
  const skip = new Set(exclude.filter((login): login is string => login !== null).map((l) => l.toLowerCase()));
  const mine = new Set(directories);
  const byLogin = new Map<string, { pullRequests: number; directories: Set<string> }>();
  for (const pr of history) {
    if (!pr.login || skip.has(pr.login.toLowerCase()) || pr.login.endsWith("[bot]")) continue;
    const shared = pr.directories.filter((dir) => mine.has(dir));
    if (shared.length === 0) continue;
    const entry = byLogin.get(pr.login) ?? { pullRequests: 0, directories: new Set<string>() };
    entry.pullRequests += 1;
    for (const dir of shared) entry.directories.add(dir);
    byLogin.set(pr.login, entry);
  }
  return [...byLogin]
    .map(([login, entry]) => ({ login, pullRequests: entry.pullRequests, directories: [...entry.directories].sort() }))
    .sort(
      (a, b) =>
        b.directories.length - a.directories.length ||
        b.pullRequests - a.pullRequests ||
        a.login.localeCompare(b.login),
    )
    .slice(0, REVIEWERS_MAX);
}

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, 5).join(", ");
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}

function sum(items: readonly ChangedFile[], field: "additions" | "deletions"): number {
  return items.reduce((total, item) => total + item[field], 0);
}
