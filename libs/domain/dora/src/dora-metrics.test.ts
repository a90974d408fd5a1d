import { DoraMetricsSchema } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import type { DoraDeployment, DoraHistory, DoraIncident, DoraPullRequest } from "./dora-history";
import { computeDoraMetrics, type DoraReport } from "./dora-metrics";

// A fortnight of one project's history, every expected number worked out by hand below.
// Window: 2026-03-01 (inclusive) → 2026-03-15 (exclusive) = 14 days, production, charted per day.
// Times are UTC; H is an hour in milliseconds.

const H = 3_600_000;
const uuid = (tag: string) => `00000000-0000-4000-8000-${tag.padStart(12, "0")}`;
const at = (iso: string) => new Date(`2026-${iso}:00.000Z`);

const API = uuid("b1"); // acme/api
const WEB = uuid("b2"); // acme/web
const ELSEWHERE = uuid("b9"); // another project's repository: nothing of it may count

/** One uuid per tag, as a tuple of the same length (so destructuring needs no assertions). */
const uuids = <T extends readonly string[]>(...tags: T) => tags.map(uuid) as { [K in keyof T]: string };

const [D0, D1, D2, D3, D4, D5, D6, D7, D8, D9, D10, DX] = uuids(
  "d0",
  "d1",
  "d2",
  "d3",
  "d4",
  "d5",
  "d6",
  "d7",
  "d8",
  "d9",
  "d10",
  "dff",
);
const [PR0, PR1, PR2, PR3, PR4, PR5, PR6, PR7, PR8, PR9, PRX] = uuids(
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "a8",
  "a9",
  "aff",
);
const [I1, I2, I3, I4, I5, I6] = uuids("e1", "e2", "e3", "e4", "e5", "e6");

function deployment(
  fields: Partial<DoraDeployment> & Pick<DoraDeployment, "id" | "sha" | "createdAt">,
): DoraDeployment {
  return { repositoryId: API, environment: "production", ref: "main", status: "success", finishedAt: null, ...fields };
}

function pullRequest(
  fields: Partial<DoraPullRequest> & Pick<DoraPullRequest, "id" | "number" | "openedAt">,
): DoraPullRequest {
  return {
    repositoryId: API,
    title: `PR ${fields.number}`,
    url: null,
    body: "",
    authorLogin: "ada",
    baseBranch: "main",
    firstCommitAt: null,
    firstReviewAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    ...fields,
  };
}

function incident(fields: Partial<DoraIncident> & Pick<DoraIncident, "id" | "openedAt">): DoraIncident {
  return {
    title: `Incident ${fields.id.slice(-2)}`,
    severity: "sev2",
    deploymentId: null,
    resolvedAt: null,
    ...fields,
  };
}

const deployments: DoraDeployment[] = [
  // Before the window: ships PR0 and PR9, so neither is counted again.
  deployment({ id: D0, sha: "m0", createdAt: at("02-27T10:00"), finishedAt: at("02-27T10:30") }),
  // Ships PR1 by its merge commit.
  deployment({ id: D1, sha: "m1", createdAt: at("03-02T09:00"), finishedAt: at("03-02T10:00") }),
  // Fails: carries PR2 (merge commit) without delivering it.
  deployment({ id: D2, sha: "m2", status: "failure", createdAt: at("03-03T09:00"), finishedAt: at("03-03T09:20") }),
  // From main after PR2's merge: delivers PR2 (base branch) and PR3 (merge commit).
  deployment({ id: D3, sha: "m3", createdAt: at("03-03T12:00"), finishedAt: at("03-03T13:00") }),
  // From a tag: ships no pull request; incident I1 is attributed to it.
  deployment({ id: D4, sha: "m4", ref: "v1.2.0", createdAt: at("03-05T10:00"), finishedAt: at("03-05T11:00") }),
  // Staging, with PR4's merge commit: must not deliver PR4 to production.
  deployment({
    id: D5,
    sha: "m4x",
    environment: "staging",
    createdAt: at("03-06T10:00"),
    finishedAt: at("03-06T10:30"),
  }),
  // acme/web, ref spelled refs/heads/main: ships PR5; incidents I2 and I4 are attributed to it.
  deployment({
    id: D6,
    repositoryId: WEB,
    sha: "w1",
    ref: "refs/heads/main",
    createdAt: at("03-08T10:00"),
    finishedAt: at("03-08T12:00"),
  }),
  // Superseded after succeeding (inactive with a finish time): a success. Ships PR7.
  deployment({ id: D10, sha: "m7", status: "inactive", createdAt: at("03-09T09:00"), finishedAt: at("03-09T09:30") }),
  // "Production" in another case is production; still pending, so not counted.
  deployment({
    id: D7,
    repositoryId: WEB,
    sha: "w0",
    environment: "Production",
    status: "pending",
    createdAt: at("03-10T10:00"),
  }),
  // Errors: carries PR6 (merge commit) without delivering it.
  deployment({
    id: D8,
    repositoryId: WEB,
    sha: "w2",
    status: "error",
    createdAt: at("03-12T10:00"),
    finishedAt: at("03-12T10:05"),
  }),
  // Delivers PR4, but after the window ends.
  deployment({ id: D9, sha: "m4x", ref: null, createdAt: at("03-15T02:00"), finishedAt: at("03-15T03:00") }),
  // Another project's repository.
  deployment({
    id: DX,
    repositoryId: ELSEWHERE,
    sha: "x1",
    createdAt: at("03-04T10:00"),
    finishedAt: at("03-04T11:00"),
  }),
];

const pullRequests: DoraPullRequest[] = [
  pullRequest({ id: PR9, number: 9, openedAt: at("01-19T10:00"), mergedAt: at("01-20T10:00"), mergeCommitSha: "m9" }),
  pullRequest({ id: PR0, number: 10, openedAt: at("02-25T10:00"), mergedAt: at("02-26T12:00"), mergeCommitSha: "m0" }),
  pullRequest({
    id: PR1,
    number: 11,
    body: "Faster search.\n\nCo-authored-by: Claude <noreply@anthropic.com>",
    firstCommitAt: at("02-28T10:00"),
    openedAt: at("03-01T10:00"),
    firstReviewAt: at("03-01T14:00"),
    mergedAt: at("03-02T08:00"),
    mergeCommitSha: "m1",
  }),
  pullRequest({ id: PR2, number: 12, openedAt: at("03-02T12:00"), mergedAt: at("03-03T08:00"), mergeCommitSha: "m2" }),
  pullRequest({
    id: PR3,
    number: 13,
    body: "AI-assisted: no",
    firstCommitAt: at("03-03T09:00"),
    openedAt: at("03-03T10:00"),
    firstReviewAt: at("03-03T10:30"),
    mergedAt: at("03-03T11:00"),
    mergeCommitSha: "m3",
  }),
  pullRequest({
    id: PR4,
    number: 14,
    baseBranch: "release",
    openedAt: at("03-04T10:00"),
    mergedAt: at("03-05T08:00"),
    mergeCommitSha: "m4x",
  }),
  pullRequest({
    id: PR5,
    number: 3,
    repositoryId: WEB,
    authorLogin: "copilot-swe-agent[bot]",
    firstCommitAt: at("03-06T10:00"),
    openedAt: at("03-06T12:00"),
    firstReviewAt: at("03-07T12:00"),
    mergedAt: at("03-07T18:00"),
    mergeCommitSha: "w1",
  }),
  pullRequest({
    id: PR6,
    number: 4,
    repositoryId: WEB,
    body: "🤖 Generated with [Claude Code](https://claude.com/claude-code)",
    openedAt: at("03-11T09:00"),
    mergedAt: at("03-12T09:00"),
    mergeCommitSha: "w2",
  }),
  pullRequest({
    id: PR7,
    number: 15,
    body: "AI-assisted: no",
    openedAt: at("03-08T09:00"),
    firstReviewAt: at("03-08T10:00"),
    mergedAt: at("03-09T08:00"),
    mergeCommitSha: "m7",
  }),
  // Closed without merging: not a change.
  pullRequest({ id: PR8, number: 16, openedAt: at("03-04T10:00") }),
  pullRequest({
    id: PRX,
    number: 1,
    repositoryId: ELSEWHERE,
    openedAt: at("03-03T10:00"),
    mergedAt: at("03-04T09:00"),
    mergeCommitSha: "x1",
  }),
];

const incidents: DoraIncident[] = [
  incident({ id: I1, deploymentId: D4, openedAt: at("03-05T12:00"), resolvedAt: at("03-05T15:00") }),
  incident({ id: I2, deploymentId: D6, openedAt: at("03-08T13:00"), resolvedAt: at("03-09T13:00") }),
  incident({ id: I3, openedAt: at("03-10T08:00") }),
  incident({ id: I4, deploymentId: D6, openedAt: at("03-16T09:00"), resolvedAt: at("03-16T10:00") }),
  incident({ id: I5, deploymentId: D0, openedAt: at("02-28T09:00"), resolvedAt: at("02-28T10:00") }),
  incident({ id: I6, openedAt: at("03-13T00:00"), resolvedAt: at("03-13T10:00") }),
];

const history: DoraHistory = {
  repositories: [
    { id: API, fullName: "acme/api" },
    { id: WEB, fullName: "acme/web" },
  ],
  deployments,
  pullRequests,
  incidents,
};
const window = { from: at("03-01T00:00"), to: at("03-15T00:00"), environment: "production" };

const report: DoraReport = computeDoraMetrics(history, window);
const deploymentRow = (id: string) => report.deployments.find((d) => d.id === id);
const pullRequestRow = (id: string) => report.pullRequests.find((pr) => pr.id === id);

describe("computeDoraMetrics on a fortnight of history", () => {
  it("answers in the API's shape, naming its rules", () => {
    expect(() => DoraMetricsSchema.parse({ projectId: uuid("c1"), ...report })).not.toThrow();
    expect(report).toMatchObject({ from: "2026-03-01", to: "2026-03-15", days: 14, repositoryCount: 2 });
    expect(report.rules.leadTime).toBe(
      "first_commit_to_first_successful_deployment_of_merge_commit_or_base_branch_after_merge",
    );
  });

  it("counts deployment frequency from successful production deployments finished in the window", () => {
    // Succeeded in production within [03-01, 03-15): D1, D3, D4, D6, D10 (inactive after a success) = 5.
    // Not: D2 (failure), D8 (error), D7 (pending), D5 (staging), D0 and D9 (outside), DX (other project).
    // per day = 5 / 14 = 0.357142…; per week = 5 × 7 / 14 = 2.5.
    expect(report.deploymentFrequency).toEqual({ deployments: 5, perDay: 5 / 14, perWeek: 2.5 });
  });

  it("lists every deployment of the window with the rule that counted or excluded it", () => {
    // Newest first by finish time (creation time for the pending one).
    expect(report.deployments.map((d) => [d.id, d.rule])).toEqual([
      [D8, "failed"], // 03-12 10:05
      [D7, "unfinished"], // created 03-10 10:00
      [D10, "succeeded"], // 03-09 09:30
      [D6, "succeeded"], // 03-08 12:00
      [D5, "other_environment"], // 03-06 10:30
      [D4, "succeeded"], // 03-05 11:00
      [D3, "succeeded"], // 03-03 13:00
      [D2, "failed"], // 03-03 09:20
      [D1, "succeeded"], // 03-02 10:00
    ]);
    expect(deploymentRow(D2)?.failure).toEqual({ rules: ["deployment_failed"], incidentIds: [] });
    expect(deploymentRow(D4)?.failure).toEqual({ rules: ["incident_attributed"], incidentIds: [I1] });
    expect(deploymentRow(D6)?.failure).toEqual({ rules: ["incident_attributed"], incidentIds: [I2, I4] });
    expect(deploymentRow(D1)?.failure).toBeNull();
    expect(deploymentRow(D3)?.pullRequestIds).toEqual([PR2, PR3]);
    expect(deploymentRow(D2)?.pullRequestIds).toEqual([PR2]);
    expect(deploymentRow(D4)?.pullRequestIds).toEqual([]);
  });

  it("computes lead time from first commit (else opening) to the first successful production deployment", () => {
    // PR1: first commit 02-28 10:00 → D1 03-02 10:00 = 48 h (coding 24, pickup 4, review 18, deploy 2).
    // PR2: no first commit, opened 03-02 12:00 → D3 03-03 13:00 = 25 h (deploy 08:00 → 13:00 = 5; no review).
    // PR3: first commit 03-03 09:00 → D3 03-03 13:00 = 4 h (coding 1, pickup 0.5, review 0.5, deploy 2).
    // PR5: first commit 03-06 10:00 → D6 03-08 12:00 = 50 h (coding 2, pickup 24, review 6, deploy 18).
    // PR7: opened 03-08 09:00 → D10 03-09 09:30 = 24.5 h (pickup 1, review 22, deploy 1.5).
    // Sorted: 4, 24.5, 25, 48, 50 → median 25 h; p90 at rank 0.9 × 4 = 3.6: 48 + 0.6 × (50 − 48) = 49.2 h.
    expect(report.leadTime).toMatchObject({ count: 5, medianMs: 25 * H, p90Ms: 49.2 * H });
    // coding [1, 2, 24]: median 2; p90 rank 1.8: 2 + 0.8 × 22 = 19.6.
    // pickup [0.5, 1, 4, 24]: median (1 + 4) / 2 = 2.5; p90 rank 2.7: 4 + 0.7 × 20 = 18.
    // review [0.5, 6, 18, 22]: median (6 + 18) / 2 = 12; p90 rank 2.7: 18 + 0.7 × 4 = 20.8.
    // deploy [1.5, 2, 2, 5, 18]: median 2; p90 rank 3.6: 5 + 0.6 × 13 = 12.8.
    const { coding, pickup, review, deploy } = report.leadTime.stages;
    expect(coding).toEqual({ count: 3, medianMs: 2 * H, p90Ms: expect.closeTo(19.6 * H, 3) });
    expect(pickup).toEqual({ count: 4, medianMs: 2.5 * H, p90Ms: expect.closeTo(18 * H, 3) });
    expect(review).toEqual({ count: 4, medianMs: 12 * H, p90Ms: expect.closeTo(20.8 * H, 3) });
    expect(deploy).toEqual({ count: 5, medianMs: 2 * H, p90Ms: expect.closeTo(12.8 * H, 3) });
    expect(pullRequestRow(PR1)).toMatchObject({
      rule: "deployed",
      match: "merge_commit",
      deploymentId: D1,
      startedFrom: "first_commit",
      leadTimeMs: 48 * H,
      stages: { codingMs: 24 * H, pickupMs: 4 * H, reviewMs: 18 * H, deployMs: 2 * H },
    });
    expect(pullRequestRow(PR2)).toMatchObject({
      rule: "deployed",
      match: "base_branch_after_merge",
      deploymentId: D3,
      startedFrom: "opened",
      leadTimeMs: 25 * H,
      stages: { codingMs: null, pickupMs: null, reviewMs: null, deployMs: 5 * H },
    });
    expect(pullRequestRow(PR7)).toMatchObject({ deploymentId: D10, leadTimeMs: 24.5 * H });
  });

  it("lists merged pull requests not yet in production, and leaves out earlier windows' changes", () => {
    // PR4: its merge commit reached staging (D5) in the window, production (D9) only after it.
    // PR6: its only production deployment (D8) errored.
    // Not listed: PR0 and PR9 (deployed by D0 before the window), PR8 (not merged), PRX (other project).
    expect(report.pullRequests.map((pr) => [pr.id, pr.rule])).toEqual([
      [PR6, "not_deployed"], // merged 03-12 09:00
      [PR7, "deployed"], // 03-09 08:00
      [PR5, "deployed"], // 03-07 18:00
      [PR4, "not_deployed"], // 03-05 08:00
      [PR3, "deployed"], // 03-03 11:00
      [PR2, "deployed"], // 03-03 08:00
      [PR1, "deployed"], // 03-02 08:00
    ]);
    expect(pullRequestRow(PR4)).toMatchObject({ match: null, deploymentId: null, leadTimeMs: null });
  });

  it("splits lead time by AI assistance", () => {
    // AI-assisted: PR1 (Claude co-author) 48 h, PR5 (Copilot agent author) 50 h → median 49; p90 48 + 0.9 × 2 = 49.8.
    // Human ("AI-assisted: no"): PR3 4 h, PR7 24.5 h → median 14.25; p90 4 + 0.9 × 20.5 = 22.45.
    // Unknown: PR2 25 h.
    const { ai_assisted, human, unknown } = report.leadTime.byAiAssistance;
    expect(ai_assisted).toEqual({ count: 2, medianMs: 49 * H, p90Ms: expect.closeTo(49.8 * H, 3) });
    expect(human).toEqual({ count: 2, medianMs: 14.25 * H, p90Ms: expect.closeTo(22.45 * H, 3) });
    expect(unknown).toEqual({ count: 1, medianMs: 25 * H, p90Ms: 25 * H });
    expect(pullRequestRow(PR6)?.aiAssistance).toEqual({
      kind: "ai_assisted",
      signal: "🤖 Generated with [Claude Code](https://claude.com/claude-code)",
    });
  });

  it("computes change failure rate over finished production deployments", () => {
    // Finished in production: D1, D3, D4, D6, D10 (succeeded) + D2, D8 (failed) = 7.
    // Failures: D2 (failed), D8 (errored), D4 (I1 attributed), D6 (I2, I4 attributed) = 4 → 4 / 7.
    expect(report.changeFailureRate).toMatchObject({ failed: 4, total: 7, rate: 4 / 7 });
    // A deployment's kind comes from what it carried:
    // AI-assisted: D1 (PR1), D6 (PR5), D8 (PR6) → failed D6, D8 = 2 / 3.
    // Human: D10 (PR7) → 0 / 1.
    // Unknown: D2 (PR2), D3 (PR2 unknown + PR3 human), D4 (nothing) → failed D2, D4 = 2 / 3.
    expect(report.changeFailureRate.byAiAssistance).toEqual({
      ai_assisted: { failed: 2, total: 3, rate: 2 / 3 },
      human: { failed: 0, total: 1, rate: 0 },
      unknown: { failed: 2, total: 3, rate: 2 / 3 },
    });
  });

  it("computes time to restore from incidents opened in the window, listing open ones uncounted", () => {
    // Resolved, opened in the window: I1 3 h, I6 10 h, I2 24 h → median 10 h; p90 rank 1.8: 10 + 0.8 × 14 = 21.2 h.
    // I3 is open. I4 opened after the window (but makes D6 a failure); I5 belongs to an earlier window.
    expect(report.timeToRestore).toEqual({
      count: 3,
      medianMs: 10 * H,
      p90Ms: expect.closeTo(21.2 * H, 3),
      open: 1,
    });
    expect(report.incidents.map((i) => [i.id, i.rule, i.restoreMs, i.countsAsFailure])).toEqual([
      [I4, "opened_outside_window", null, true],
      [I6, "resolved", 10 * H, false],
      [I3, "open", null, false],
      [I2, "resolved", 24 * H, true],
      [I1, "resolved", 3 * H, true],
    ]);
  });

  it("charts the window per day", () => {
    expect(report.granularity).toBe("day");
    expect(report.series).toHaveLength(14);
    const day = (start: string) => report.series.find((b) => b.start === start);
    expect(day("2026-03-02")).toEqual({
      start: "2026-03-02",
      end: "2026-03-03",
      deployments: 1,
      finishedDeployments: 1,
      failedDeployments: 0,
      leadTimeMedianMs: 48 * H,
      restoreMedianMs: null,
    });
    // D2 failed and D3 succeeded; PR2 (25 h) and PR3 (4 h) deployed → median 14.5 h.
    expect(day("2026-03-03")).toMatchObject({
      deployments: 1,
      finishedDeployments: 2,
      failedDeployments: 1,
      leadTimeMedianMs: 14.5 * H,
    });
    // D6 (failed by I2), PR5 50 h, I2 restored in 24 h.
    expect(day("2026-03-08")).toMatchObject({
      deployments: 1,
      failedDeployments: 1,
      leadTimeMedianMs: 50 * H,
      restoreMedianMs: 24 * H,
    });
    expect(day("2026-03-12")).toMatchObject({ deployments: 0, finishedDeployments: 1, failedDeployments: 1 });
    const sum = (pick: (b: (typeof report.series)[number]) => number) =>
      report.series.reduce((total, b) => total + pick(b), 0);
    expect([sum((b) => b.deployments), sum((b) => b.finishedDeployments), sum((b) => b.failedDeployments)]).toEqual([
      5, 7, 4,
    ]);
  });
});

describe("computeDoraMetrics in other windows", () => {
  it("charts windows over a month per week from the window's start, the last week shorter", () => {
    // 2026-03-01 → 2026-04-30 is 60 days: 8 weeks and 4 days → 9 buckets, the last 04-26 → 04-30.
    const wide = computeDoraMetrics(history, { ...window, to: at("04-30T00:00") });
    expect(wide.granularity).toBe("week");
    expect(wide.series).toHaveLength(9);
    expect(wide.series[0]).toMatchObject({ start: "2026-03-01", end: "2026-03-08" });
    expect(wide.series.at(-1)).toMatchObject({ start: "2026-04-26", end: "2026-04-30" });
    // D9 (03-15) now falls inside: 6 successes over 60 days → 6 × 7 / 60 = 0.7 per week.
    expect(wide.deploymentFrequency.perWeek).toBeCloseTo(0.7, 10);
  });

  it("measures another environment by the same rules, without production's incidents", () => {
    // Staging has one deployment, D5. It carries PR4 by its merge commit: opened 03-04 10:00 → 03-06 10:30 =
    // 48.5 h. Created from main on 03-06 10:00, it also carries every earlier merge into main never deployed
    // to staging: PR9, PR0, PR1, PR2, PR3 (base branch rule) → 6 pull requests.
    const staging = computeDoraMetrics(history, { ...window, environment: "staging" });
    expect(staging.deploymentFrequency.deployments).toBe(1);
    expect(staging.leadTime.count).toBe(6);
    expect(staging.pullRequests.find((pr) => pr.id === PR4)).toMatchObject({
      rule: "deployed",
      deploymentId: D5,
      leadTimeMs: 48.5 * H,
    });
    expect(staging.changeFailureRate).toMatchObject({ failed: 0, total: 1, rate: 0 });
  });

  it("reports nothing measured, not zero rates, for a project without repositories", () => {
    const empty = computeDoraMetrics({ repositories: [], deployments, pullRequests, incidents: [] }, window);
    expect(empty).toMatchObject({
      repositoryCount: 0,
      deploymentFrequency: { deployments: 0, perDay: 0, perWeek: 0 },
      leadTime: { count: 0, medianMs: null, p90Ms: null },
      changeFailureRate: { failed: 0, total: 0, rate: null },
      timeToRestore: { count: 0, medianMs: null, open: 0 },
      deployments: [],
      pullRequests: [],
    });
  });
});
