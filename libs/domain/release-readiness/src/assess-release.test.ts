import { describe, expect, it } from "vitest";
import {
  assessDocApprovals,
  assessDoraTrend,
  assessFailingChecks,
  assessOpenBlockers,
  assessPrRisk,
  assessRelease,
  type ReleaseDoraWindow,
  type ReleaseIssue,
  type ReleasePullRequest,
} from "./assess-release";

let next = 0;
function pr(overrides: Partial<ReleasePullRequest> = {}): ReleasePullRequest {
  next += 1;
  return {
    id: `pr-${next}`,
    repository: "acme/api",
    number: next,
    title: `PR ${next}`,
    url: `https://github.com/acme/api/pull/${next}`,
    state: "open",
    analysis: { riskLevel: "low", riskScore: 10, conclusion: "success" },
    linkedDocumentIds: [],
    ...overrides,
  };
}

function issue(overrides: Partial<ReleaseIssue> = {}): ReleaseIssue {
  next += 1;
  return {
    id: `issue-${next}`,
    repository: "acme/api",
    number: next,
    title: `Issue ${next}`,
    url: null,
    state: "open",
    labels: [],
    priority: null,
    linkedDocumentIds: [],
    ...overrides,
  };
}

function window(id: ReleaseDoraWindow["id"], overrides: Partial<ReleaseDoraWindow> = {}): ReleaseDoraWindow {
  return {
    id,
    from: id === "current" ? "2026-11-01" : "2026-10-02",
    to: id === "current" ? "2026-12-01" : "2026-11-01",
    deployments: 10,
    changeFailureRate: 0.1,
    leadTimeMedianMs: 3_600_000,
    ...overrides,
  };
}

const high = { riskLevel: "high" as const, riskScore: 85, conclusion: "success" };

describe("PR risk gate", () => {
  it("fails when an open pull request is rated high risk", () => {
    const gate = assessPrRisk([pr({ analysis: high }), pr()]);
    expect(gate.verdict).toBe("fail");
    expect(gate.rows.filter((r) => r.isBlocking)).toHaveLength(1);
  });

  it("is unknown when a pull request has no analysis and none is high risk", () => {
    expect(assessPrRisk([pr(), pr({ analysis: null })]).verdict).toBe("unknown");
  });

  it("is unknown when the milestone has no pull request", () => {
    expect(assessPrRisk([]).verdict).toBe("unknown");
  });

  it("passes when a high-risk pull request is already merged", () => {
    expect(assessPrRisk([pr({ state: "merged", analysis: high }), pr()]).verdict).toBe("pass");
  });
});

describe("open blockers gate", () => {
  it("fails on an open issue labelled Blocker in any case", () => {
    const gate = assessOpenBlockers([issue({ labels: ["BLOCKER"] }), issue({ labels: ["bug"] })]);
    expect(gate.verdict).toBe("fail");
    expect(gate.rows.map((r) => r.status)).toEqual(["BLOCKER"]);
  });

  it("fails on an open issue triaged P1", () => {
    expect(assessOpenBlockers([issue({ priority: "P1" })]).verdict).toBe("fail");
  });

  it("passes when blockers are closed and open issues are not blockers", () => {
    const gate = assessOpenBlockers([issue({ state: "closed", labels: ["critical"] }), issue({ priority: "P2" })]);
    expect(gate.verdict).toBe("pass");
  });
});

describe("doc approvals gate", () => {
  it("fails when a linked doc is in review or superseded", () => {
    const gate = assessDocApprovals([
      { id: "d1", title: "Design", status: "approved" },
      { id: "d2", title: "Old", status: "superseded" },
    ]);
    expect(gate.verdict).toBe("fail");
    expect(gate.rows.find((r) => r.id === "d2")?.isBlocking).toBe(true);
  });

  it("is unknown when no doc is linked", () => {
    expect(assessDocApprovals([]).verdict).toBe("unknown");
  });

  it("passes when every linked doc is approved", () => {
    expect(assessDocApprovals([{ id: "d1", title: null, status: "approved" }]).verdict).toBe("pass");
  });
});

describe("failing checks gate", () => {
  it("fails when a merged pull request's latest analysis failed", () => {
    const failed = { riskLevel: "low" as const, riskScore: 5, conclusion: "failure" };
    expect(assessFailingChecks([pr({ state: "merged", analysis: failed }), pr()]).verdict).toBe("fail");
  });

  it("is unknown when no pull request was analysed", () => {
    expect(assessFailingChecks([pr({ analysis: null })]).verdict).toBe("unknown");
  });

  it("passes when every analysed pull request succeeded or was neutral", () => {
    const neutral = { riskLevel: "medium" as const, riskScore: 40, conclusion: "neutral" };
    expect(assessFailingChecks([pr(), pr({ analysis: neutral }), pr({ analysis: null })]).verdict).toBe("pass");
  });
});

describe("DORA trend gate", () => {
  it("fails when the change failure rate rose by more than 10 points", () => {
    const gate = assessDoraTrend(window("current", { changeFailureRate: 0.25 }), window("previous"));
    expect(gate.verdict).toBe("fail");
    expect(gate.reasons[0]).toContain("10% → 25%");
  });

  it("is unknown when a window has no deployments", () => {
    const empty = window("previous", { deployments: 0, changeFailureRate: null });
    expect(assessDoraTrend(window("current"), empty).verdict).toBe("unknown");
  });

  it("passes when the rate rose by exactly 10 points", () => {
    expect(assessDoraTrend(window("current", { changeFailureRate: 0.2 }), window("previous")).verdict).toBe("pass");
  });
});

describe("assessRelease", () => {
  const dora = { current: window("current"), previous: window("previous") };
  const approved = [{ id: "d1", title: "Design", status: "approved" as const }];

  it("passes only when every gate passes", () => {
    const result = assessRelease({ pullRequests: [pr()], issues: [issue()], documents: approved, dora });
    expect(result.gates.map((g) => g.verdict)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    expect(result.overall).toBe("pass");
  });

  it("is unknown when a gate is unknown and none fails", () => {
    expect(assessRelease({ pullRequests: [pr()], issues: [], documents: [], dora }).overall).toBe("unknown");
  });

  it("fails when any gate fails, and ignores closed-unmerged pull requests", () => {
    const closed = pr({ state: "closed", analysis: { ...high, conclusion: "failure" } });
    const ok = assessRelease({ pullRequests: [pr(), closed], issues: [], documents: approved, dora });
    expect(ok.overall).toBe("pass");
    const blocked = assessRelease({
      pullRequests: [pr()],
      issues: [issue({ labels: ["critical"] })],
      documents: approved,
      dora,
    });
    expect(blocked.overall).toBe("fail");
  });
});
