import type { RequestContext } from "@devflow/auth";
import {
  MilestoneListSchema,
  ReleaseReadinessSchema,
  type PrAnalysis,
  type ReleaseGateName,
  type TriageSuggestionDto,
} from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMilestones, readReleaseReadiness } from "./release-readiness.service";

// Acme's "Platform" owns acme/api, whose milestone v1.0 fails every row-based gate, v1.1 passes
// them and v0.9 has nothing analysed or linked; its change failure rate went from 0% to 50%.
// "Website" owns acme/web, with a high-risk v1.0 pull request that must not count for Platform
// and steady deployments. "Empty" links no repository. Globex is another organization.

const now = new Date("2026-03-31T12:00:00.000Z");
const at = (iso: string) => new Date(`2026-${iso}:00.000Z`);

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let platformId: string;
let websiteId: string;
let emptyId: string;
let nextExternalId = 800_000;

function analysis(level: "low" | "high", conclusion: "success" | "failure"): PrAnalysis {
  return {
    v: 1,
    headSha: "abc",
    analyzedAt: "2026-03-20T10:00:00.000Z",
    summary: {
      totalFiles: 1,
      analyzedFiles: 1,
      unscannedFiles: 0,
      additions: 1,
      deletions: 0,
      commits: 1,
      groups: [],
      directories: [],
    },
    risk: { score: level === "high" ? 90 : 10, level, reasons: [] },
    effort: { size: "XS", reviewMinutes: 5, basis: "lines" },
    findings: [],
    omittedFindings: 0,
    securityConcerns: [],
    missingTests: [],
    docs: [],
    compliance: [],
    reviewers: [],
    gates: [],
    conclusion,
    commentId: null,
    checkRunId: null,
  };
}

function triage(priority: "P1" | "P2"): TriageSuggestionDto {
  return {
    priority: { value: priority, because: [] },
    labels: [],
    component: null,
    duplicates: [],
    embeddingModel: "lexical",
    semantic: false,
    triagedAt: "2026-03-20T10:00:00.000Z",
  };
}

async function createRepository(tx: Tx, org: OrganizationFixture, projectId: string, fullName: string) {
  return tx.repository.create({
    data: { organizationId: org.organization.id, projectId, externalId: String(nextExternalId++), fullName },
  });
}

async function deploy(tx: Tx, org: OrganizationFixture, repositoryId: string, day: string, ok: boolean) {
  await tx.deployment.create({
    data: {
      organizationId: org.organization.id,
      repositoryId,
      externalId: `${repositoryId}-${day}`,
      environment: "production",
      sha: `sha-${day}`,
      status: ok ? "success" : "failure",
      createdAt: at(`${day}T09:00`),
      finishedAt: at(`${day}T09:30`),
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const projects = createProjectsService(t.db);
  platformId = (await projects.create(acme.ctx, { name: "Platform", description: "" })).id;
  websiteId = (await projects.create(acme.ctx, { name: "Website", description: "" })).id;
  emptyId = (await projects.create(acme.ctx, { name: "Empty", description: "" })).id;
  const organizationId = acme.organization.id;

  await t.db.withTenant(acme.ctx, async (tx) => {
    const api = await createRepository(tx, acme, platformId, "acme/api");
    const web = await createRepository(tx, acme, websiteId, "acme/web");
    const doc = (title: string, status: "in_review" | "approved") =>
      tx.document.create({ data: { organizationId, projectId: platformId, title, status } });
    const inReview = await doc("Checkout redesign", "in_review");
    const approved = await doc("Search v2", "approved");
    const pr = (
      repositoryId: string,
      number: number,
      milestone: string,
      fields: { state: "open" | "merged" | "closed"; analysis?: PrAnalysis; linkedDocumentIds?: string[] },
      dueAt: Date | null,
    ) =>
      tx.pullRequest.create({
        data: {
          organizationId,
          repositoryId,
          number,
          title: `PR ${number}`,
          url: `https://github.com/x/pull/${number}`,
          openedAt: at("03-10T10:00"),
          milestone,
          milestoneDueAt: dueAt,
          ...fields,
        },
      });
    const issue = (
      number: number,
      milestone: string,
      fields: { state: string; labels?: string[]; triage?: TriageSuggestionDto },
    ) =>
      tx.issue.create({
        data: {
          organizationId,
          repositoryId: api.id,
          number,
          title: `Issue ${number}`,
          openedAt: at("03-10T10:00"),
          sourceUpdatedAt: at("03-10T10:00"),
          milestone,
          labels: [],
          ...fields,
        },
      });

    const due10 = at("04-10T00:00");
    await pr(
      api.id,
      1,
      "v1.0",
      { state: "open", analysis: analysis("high", "failure"), linkedDocumentIds: [inReview.id] },
      due10,
    );
    await pr(api.id, 2, "v1.0", { state: "merged", analysis: analysis("low", "success") }, due10);
    await pr(api.id, 3, "v1.0", { state: "closed" }, due10);
    await issue(10, "v1.0", { state: "open", labels: ["Blocker"] });
    await issue(11, "v1.0", { state: "closed", labels: ["critical"], triage: triage("P1") });

    await pr(
      api.id,
      4,
      "v1.1",
      { state: "open", analysis: analysis("low", "success"), linkedDocumentIds: [approved.id] },
      at("05-01T00:00"),
    );
    await issue(12, "v1.1", { state: "open", triage: triage("P2") });

    await pr(api.id, 5, "v0.9", { state: "merged" }, null);
    // Another project's pull request under the same title.
    await pr(web.id, 1, "v1.0", { state: "open", analysis: analysis("high", "failure") }, due10);

    // Platform: 2 good deployments before, 1 good and 1 failed in the last 30 days.
    await deploy(tx, acme, api.id, "02-10", true);
    await deploy(tx, acme, api.id, "02-20", true);
    await deploy(tx, acme, api.id, "03-10", true);
    await deploy(tx, acme, api.id, "03-20", false);
    // Website: steady.
    await deploy(tx, acme, web.id, "02-10", true);
    await deploy(tx, acme, web.id, "03-10", true);
  });
});
afterAll(async () => {
  await t?.drop();
});

const readiness = (ctx: RequestContext, projectId: string, milestone: string) =>
  readReleaseReadiness(t.db, ctx, projectId, milestone, now);

function verdicts(result: { gates: { gate: ReleaseGateName; verdict: string }[] }) {
  return Object.fromEntries(result.gates.map((g) => [g.gate, g.verdict]));
}

describe("readReleaseReadiness", () => {
  it("fails every row-based gate of a milestone with a risky, failing PR, an open blocker and a doc in review", async () => {
    const result = ReleaseReadinessSchema.parse(await readiness(acme.ctx, platformId, "v1.0"));
    expect(verdicts(result)).toEqual({
      pr_risk: "fail",
      open_blockers: "fail",
      doc_approvals: "fail",
      failing_checks: "fail",
      dora_trend: "fail",
    });
    expect(result.overall).toBe("fail");
    expect(result.dueAt).toBe("2026-04-10T00:00:00.000Z");
    const prRisk = result.gates.find((g) => g.gate === "pr_risk");
    // acme/web's v1.0 pull request and the closed-unmerged #3 are not counted.
    expect(prRisk?.rows.map((r) => `${r.repository}#${r.number}`)).toEqual(["acme/api#1", "acme/api#2"]);
    const blockers = result.gates.find((g) => g.gate === "open_blockers");
    expect(blockers?.rows.map((r) => r.number)).toEqual([10]);
    const dora = result.gates.find((g) => g.gate === "dora_trend");
    expect(dora?.reasons[0]).toContain("0% → 50%");
  });

  it("passes the row-based gates of a milestone whose PRs are analysed, low risk and linked to approved docs", async () => {
    const result = await readiness(acme.ctx, platformId, "v1.1");
    expect(verdicts(result)).toMatchObject({
      pr_risk: "pass",
      open_blockers: "pass",
      doc_approvals: "pass",
      failing_checks: "pass",
    });
  });

  it("says unknown where nothing was analysed or linked", async () => {
    const result = await readiness(acme.ctx, platformId, "v0.9");
    expect(verdicts(result)).toMatchObject({
      pr_risk: "unknown",
      open_blockers: "pass",
      doc_approvals: "unknown",
      failing_checks: "unknown",
    });
  });

  it("passes the DORA trend when the change failure rate held, and is unknown without deployments", async () => {
    const steady = await readiness(acme.ctx, websiteId, "v1.0");
    expect(verdicts(steady).dora_trend).toBe("pass");
    expect(verdicts(steady).pr_risk).toBe("fail");
    const empty = await readiness(acme.ctx, emptyId, "v1.0");
    expect(verdicts(empty)).toMatchObject({ dora_trend: "unknown", pr_risk: "unknown" });
    expect(empty.overall).toBe("unknown");
  });

  it("does not let another organization read the project", async () => {
    await expect(readiness(globex.ctx, platformId, "v1.0")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("listMilestones", () => {
  it("lists the project's milestones with counts, newest due date first, undated last", async () => {
    const list = MilestoneListSchema.parse(await listMilestones(t.db, acme.ctx, platformId));
    expect(list.milestones).toEqual([
      {
        title: "v1.1",
        dueAt: "2026-05-01T00:00:00.000Z",
        state: "open",
        pullRequests: { open: 1, closed: 0 },
        issues: { open: 1, closed: 0 },
      },
      {
        title: "v1.0",
        dueAt: "2026-04-10T00:00:00.000Z",
        state: "open",
        pullRequests: { open: 1, closed: 2 },
        issues: { open: 1, closed: 1 },
      },
      {
        title: "v0.9",
        dueAt: null,
        state: "closed",
        pullRequests: { open: 0, closed: 1 },
        issues: { open: 0, closed: 0 },
      },
    ]);
  });

  it("does not list another organization's project", async () => {
    await expect(listMilestones(t.db, globex.ctx, platformId)).rejects.toMatchObject({ code: "not_found" });
  });
});
