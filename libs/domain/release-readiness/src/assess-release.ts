import {
  RELEASE_CFR_RISE_MAX_POINTS,
  type ReleaseGateDto,
  type ReleaseGateRowDto,
  type ReleaseVerdict,
  type TriagePriority,
} from "@devflow/contracts";

// The release gates as pure rules over rows already read, so each verdict can be tested with
// hand-made inputs and explained row by row. The service reads; this only judges.

export interface ReleasePullRequest {
  id: string;
  repository: string;
  number: number;
  title: string;
  url: string | null;
  state: "open" | "closed" | "merged";
  /** From the latest analysis; null when the pull request was never analysed. */
  analysis: { riskLevel: "low" | "medium" | "high"; riskScore: number; conclusion: string } | null;
  linkedDocumentIds: string[];
}

export interface ReleaseIssue {
  id: string;
  repository: string;
  number: number;
  title: string;
  url: string | null;
  state: string;
  labels: string[];
  /** The triage's suggested priority; null when not triaged. */
  priority: TriagePriority | null;
  linkedDocumentIds: string[];
}

export interface ReleaseDocument {
  id: string;
  /** Null when the reader may not open the document: it still counts, unnamed. */
  title: string | null;
  status: "draft" | "in_review" | "approved" | "superseded";
}

export interface ReleaseDoraWindow {
  /** "current" (the last window) or "previous" (the one before it). */
  id: "current" | "previous";
  from: string;
  /** Exclusive. */
  to: string;
  deployments: number;
  /** 0–1, null without deployments. */
  changeFailureRate: number | null;
  leadTimeMedianMs: number | null;
}

export interface AssessReleaseInput {
  pullRequests: ReleasePullRequest[];
  issues: ReleaseIssue[];
  /** The documents the pull requests and issues link to (ids that no longer exist left out). */
  documents: ReleaseDocument[];
  dora: { current: ReleaseDoraWindow; previous: ReleaseDoraWindow };
}

export interface ReleaseAssessment {
  overall: ReleaseVerdict;
  gates: ReleaseGateDto[];
}

/** Labels that make an open issue a release blocker, compared in lower case. */
const BLOCKER_LABELS: ReadonlySet<string> = new Set(["blocker", "critical"]);

/**
 * Judges a milestone's release readiness: PR risk, open blockers, doc approvals, failing checks
 * and DORA trend, each pass / fail / unknown with its reasons and rows; overall fails if any gate
 * fails, else is unknown if any is unknown, else passes. Closed-unmerged pull requests never ship,
 * so no gate counts them.
 */
export function assessRelease(input: AssessReleaseInput): ReleaseAssessment {
  const shipping = input.pullRequests.filter((pr) => pr.state !== "closed");
  const gates = [
    assessPrRisk(shipping),
    assessOpenBlockers(input.issues),
    assessDocApprovals(input.documents),
    assessFailingChecks(shipping),
    assessDoraTrend(input.dora.current, input.dora.previous),
  ];
  return { overall: overallOf(gates.map((g) => g.verdict)), gates };
}

export function overallOf(verdicts: ReleaseVerdict[]): ReleaseVerdict {
  if (verdicts.includes("fail")) return "fail";
  return verdicts.includes("unknown") ? "unknown" : "pass";
}

/** Fails on an open high-risk pull request; merged ones already shipped to the branch. */
export function assessPrRisk(pullRequests: ReleasePullRequest[]): ReleaseGateDto {
  const risky = pullRequests.filter((pr) => pr.state === "open" && pr.analysis?.riskLevel === "high");
  const unanalysed = pullRequests.filter((pr) => pr.analysis === null);
  const rows = pullRequests.map((pr) =>
    pullRequestRow(
      pr,
      pr.analysis
        ? `${pr.state} · risk ${pr.analysis.riskLevel} (${pr.analysis.riskScore})`
        : `${pr.state} · not analysed`,
      risky.includes(pr) || unanalysed.includes(pr),
    ),
  );
  if (risky.length > 0) {
    return gate("pr_risk", "fail", [`${count(risky.length, "open pull request")} rated high risk`], rows);
  }
  if (pullRequests.length === 0)
    return gate("pr_risk", "unknown", ["No open or merged pull request is in this milestone"], rows);
  if (unanalysed.length > 0) {
    return gate("pr_risk", "unknown", [`${count(unanalysed.length, "pull request")} not analysed yet`], rows);
  }
  return gate("pr_risk", "pass", [`No open pull request of ${pullRequests.length} is rated high risk`], rows);
}

/** Fails while an issue labelled blocker or critical (any case), or triaged P1, is open. */
export function assessOpenBlockers(issues: ReleaseIssue[]): ReleaseGateDto {
  const open = issues.filter((issue) => issue.state === "open");
  const blockers = open.filter(isBlocker);
  const rows = blockers.map((issue) => ({
    kind: "issue" as const,
    id: issue.id,
    title: issue.title,
    repository: issue.repository,
    number: issue.number,
    url: issue.url,
    status: [
      ...issue.labels.filter((l) => BLOCKER_LABELS.has(l.toLowerCase())),
      issue.priority === "P1" ? "triaged P1" : null,
    ]
      .filter(Boolean)
      .join(" · "),
    isBlocking: true,
  }));
  if (blockers.length > 0)
    return gate("open_blockers", "fail", [`${count(blockers.length, "blocker")} still open`], rows);
  return gate("open_blockers", "pass", [`None of ${count(open.length, "open issue")} is a blocker`], rows);
}

function isBlocker(issue: ReleaseIssue): boolean {
  return issue.priority === "P1" || issue.labels.some((label) => BLOCKER_LABELS.has(label.toLowerCase()));
}

/** Fails while a linked design doc is not approved; a superseded doc is no longer the approved design. */
export function assessDocApprovals(documents: ReleaseDocument[]): ReleaseGateDto {
  const pending = documents.filter((doc) => doc.status !== "approved");
  const rows = documents.map((doc) => ({
    kind: "document" as const,
    id: doc.id,
    title: doc.title ?? "A document you cannot open",
    repository: null,
    number: null,
    url: null,
    status: doc.status,
    isBlocking: doc.status !== "approved",
  }));
  if (documents.length === 0) {
    return gate(
      "doc_approvals",
      "unknown",
      ["No design doc is linked from this milestone's pull requests or issues"],
      rows,
    );
  }
  if (pending.length > 0) {
    return gate("doc_approvals", "fail", [`${count(pending.length, "linked design doc")} not approved`], rows);
  }
  return gate("doc_approvals", "pass", [`All ${count(documents.length, "linked design doc")} approved`], rows);
}

/** Fails when the latest analysis of an open or merged pull request concluded failure. */
export function assessFailingChecks(pullRequests: ReleasePullRequest[]): ReleaseGateDto {
  const analysed = pullRequests.filter((pr) => pr.analysis !== null);
  const failing = analysed.filter((pr) => pr.analysis?.conclusion === "failure");
  const rows = analysed.map((pr) =>
    pullRequestRow(pr, `${pr.state} · ${pr.analysis?.conclusion}`, failing.includes(pr)),
  );
  if (failing.length > 0) {
    return gate("failing_checks", "fail", [`${count(failing.length, "pull request")} failing the quality gates`], rows);
  }
  if (analysed.length === 0)
    return gate("failing_checks", "unknown", ["No pull request of this milestone was analysed"], rows);
  return gate(
    "failing_checks",
    "pass",
    [`All ${count(analysed.length, "analysed pull request")} pass the quality gates`],
    rows,
  );
}

/**
 * Fails when the change failure rate rose by more than RELEASE_CFR_RISE_MAX_POINTS percentage points
 * from the previous window; lead time is reported, not judged (it moves with the size of the work).
 */
export function assessDoraTrend(current: ReleaseDoraWindow, previous: ReleaseDoraWindow): ReleaseGateDto {
  const rows = [current, previous].map(doraRow);
  const leadTime = `Lead time median ${hours(previous.leadTimeMedianMs)} → ${hours(current.leadTimeMedianMs)}`;
  if (current.changeFailureRate === null || previous.changeFailureRate === null) {
    const empty = [current, previous].filter((w) => w.changeFailureRate === null).map((w) => `${w.from} – ${w.to}`);
    return gate("dora_trend", "unknown", [`No deployments in ${empty.join(" and ")}`, leadTime], rows);
  }
  const risePoints = (current.changeFailureRate - previous.changeFailureRate) * 100;
  const change = `Change failure rate ${percent(previous.changeFailureRate)} → ${percent(current.changeFailureRate)}`;
  if (risePoints > RELEASE_CFR_RISE_MAX_POINTS) {
    const failingRows = rows.map((row) => ({ ...row, isBlocking: row.id === "current" }));
    return gate(
      "dora_trend",
      "fail",
      [`${change}: up more than ${RELEASE_CFR_RISE_MAX_POINTS} points`, leadTime],
      failingRows,
    );
  }
  return gate("dora_trend", "pass", [change, leadTime], rows);
}

function doraRow(window: ReleaseDoraWindow): ReleaseGateRowDto {
  return {
    kind: "dora_window",
    id: window.id,
    title: `${window.id === "current" ? "Last" : "Previous"} window, ${window.from} – ${window.to}`,
    repository: null,
    number: null,
    url: null,
    status: `${count(window.deployments, "deployment")} · CFR ${percent(window.changeFailureRate)} · lead time ${hours(window.leadTimeMedianMs)}`,
    isBlocking: false,
  };
}

function pullRequestRow(pr: ReleasePullRequest, status: string, isBlocking: boolean): ReleaseGateRowDto {
  return {
    kind: "pull_request",
    id: pr.id,
    title: pr.title,
    repository: pr.repository,
    number: pr.number,
    url: pr.url,
    status,
    isBlocking,
  };
}

function gate(
  name: ReleaseGateDto["gate"],
  verdict: ReleaseVerdict,
  reasons: string[],
  rows: ReleaseGateRowDto[],
): ReleaseGateDto {
  return { gate: name, verdict, reasons, rows };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function percent(rate: number | null): string {
  return rate === null ? "n/a" : `${Math.round(rate * 1000) / 10}%`;
}

function hours(ms: number | null): string {
  return ms === null ? "n/a" : `${Math.round((ms / 3_600_000) * 10) / 10} h`;
}
