import { describe, expect, it } from "vitest";
import type { DoraDeployment, DoraPullRequest } from "./dora-history";
import { deliveryOf, leadTimeOf, matchOf, sortByFinish } from "./lead-time";

const H = 3_600_000;
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00.000Z`);

const pr: DoraPullRequest & { mergedAt: Date } = {
  id: "pr",
  repositoryId: "api",
  number: 1,
  title: "Fix",
  url: null,
  body: "",
  authorLogin: "ada",
  baseBranch: "main",
  firstCommitAt: null,
  openedAt: at("08:00"),
  firstReviewAt: null,
  mergedAt: at("10:00"),
  mergeCommitSha: "abc123",
};

const deployment = (fields: Partial<DoraDeployment>): DoraDeployment => ({
  id: "d",
  repositoryId: "api",
  environment: "production",
  sha: "fff000",
  ref: "main",
  status: "success",
  createdAt: at("11:00"),
  finishedAt: at("11:30"),
  ...fields,
});

describe("matchOf", () => {
  it("matches the merge commit, in any case, whenever the deployment was created", () => {
    expect(matchOf(pr, deployment({ sha: "ABC123", ref: "v1" }))).toBe("merge_commit");
  });

  it("matches a deployment of the base branch created at or after the merge, refs/heads/ or not", () => {
    expect(matchOf(pr, deployment({ ref: "refs/heads/main" }))).toBe("base_branch_after_merge");
    expect(matchOf(pr, deployment({ ref: "main", createdAt: at("10:00") }))).toBe("base_branch_after_merge");
  });

  it("does not match a base branch deployment created before the merge, another branch, a tag or another repository", () => {
    expect(matchOf(pr, deployment({ createdAt: at("09:59") }))).toBeNull();
    expect(matchOf(pr, deployment({ ref: "develop" }))).toBeNull();
    expect(matchOf(pr, deployment({ ref: "v1.2.0" }))).toBeNull();
    expect(matchOf(pr, deployment({ repositoryId: "web", sha: "abc123" }))).toBeNull();
    expect(matchOf({ ...pr, mergedAt: null }, deployment({ sha: "abc123" }))).toBeNull();
  });
});

describe("deliveryOf", () => {
  it("is delivered by the first success, the failed attempts before it carrying it too", () => {
    const failed = deployment({ id: "d1", status: "failure", createdAt: at("10:30"), finishedAt: at("10:40") });
    const first = deployment({ id: "d2", createdAt: at("11:00"), finishedAt: at("11:30") });
    const later = deployment({ id: "d3", sha: "abc123", createdAt: at("12:00"), finishedAt: at("12:10") });
    const delivery = deliveryOf(pr, sortByFinish([later, first, failed]));
    expect(delivery.deployment?.id).toBe("d2");
    expect(delivery.match).toBe("base_branch_after_merge");
    expect(delivery.carriedBy.map((d) => d.id)).toEqual(["d1", "d2"]);
  });

  it("is not delivered by deployments that never finished", () => {
    const pending = deployment({ status: "pending", finishedAt: null });
    const superseded = deployment({ id: "d2", status: "inactive", finishedAt: null });
    expect(deliveryOf(pr, sortByFinish([pending, superseded]))).toEqual({
      deployment: null,
      match: null,
      carriedBy: [],
    });
  });
});

describe("leadTimeOf", () => {
  it("clamps stages at zero when a draft was opened before its first commit", () => {
    const draft = { ...pr, firstCommitAt: at("09:00"), firstReviewAt: at("09:30") };
    // First commit 09:00 → deployed 11:30 = 2.5 h; opened 08:00 is before it, so coding is 0.
    expect(leadTimeOf(draft, at("11:30"))).toEqual({
      startedFrom: "first_commit",
      totalMs: 2.5 * H,
      stages: { codingMs: 0, pickupMs: 1.5 * H, reviewMs: 0.5 * H, deployMs: 1.5 * H },
    });
  });
});
