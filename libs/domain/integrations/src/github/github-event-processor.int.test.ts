import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import type { DomainEvent } from "@devflow/contracts";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntegrationsService } from "../integrations.service";
import { createWebhookDeliveryHandler } from "../webhook-delivery-handler";
import { createWebhookIngress } from "../webhook-ingress";
import { applyGitHubEvent } from "./github-event-processor";

// Real GitHub payloads (@octokit/webhooks-examples, recorded from github.com). Each test edits only
// the fields it is about, and says so; every test also gives the payload a repository id of its own
// (repository.id), so the tests share one database without sharing rows.

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- payloads are edited field by field

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Payload[];
}[];

/** A copy of one recorded payload, moved to repository `repositoryId`. */
function example(name: string, index: number, repositoryId: number): Payload {
  const payload = structuredClone(examples.find((e) => e.name === name)!.examples[index]!);
  payload.repository.id = repositoryId;
  return payload;
}
const PR_OPENED = 0;
const PR_CLOSED = 3;
const PR_REOPENED = 18;
const PR_SYNCHRONIZE = 22;
const REVIEW_SUBMITTED = 0;
const DEPLOYMENT_PRODUCTION = 0;
const STATUS_SUCCESS_PRODUCTION = 0;
const ISSUE_OPENED = 15;

let nextRepositoryId = 900_000;
const newRepositoryId = () => nextRepositoryId++;

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

const apply = (org: OrganizationFixture, event: string, payload: Payload) =>
  t.db.withTenant(org.ctx, (tx) =>
    applyGitHubEvent(tx, { organizationId: org.organization.id, integrationId: null, event, payload }),
  );

const repositoryOf = (org: OrganizationFixture, repositoryId: number) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.repository.findUnique({
      where: {
        organizationId_provider_externalId: {
          organizationId: org.organization.id,
          provider: "github",
          externalId: String(repositoryId),
        },
      },
    }),
  );

const pullRequestOf = (org: OrganizationFixture, repositoryId: number, number = 2) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.pullRequest.findFirst({ where: { number, repository: { externalId: String(repositoryId) } } }),
  );

const deploymentsOf = (org: OrganizationFixture, repositoryId: number) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.deployment.findMany({
      where: { repository: { externalId: String(repositoryId) } },
      orderBy: { createdAt: "asc" },
    }),
  );

const incidentsOf = (org: OrganizationFixture, repositoryId: number) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.incident.findMany({ where: { externalId: { startsWith: `github:${repositoryId}:` } } }),
  );

async function createDocument(org: OrganizationFixture, title: string) {
  return t.db.withTenant(org.ctx, async (tx) => {
    const project = await tx.project.create({
      data: {
        organizationId: org.organization.id,
        key: `P${randomBytes(3).toString("hex").toUpperCase()}`,
        name: title,
      },
    });
    return tx.document.create({ data: { organizationId: org.organization.id, projectId: project.id, title } });
  });
}

describe("pull_request", () => {
  it("stores the repository and the pull request an opened delivery describes", async () => {
    const repositoryId = newRepositoryId();
    const summary = await apply(acme, "pull_request", example("pull_request", PR_OPENED, repositoryId));

    const repository = await repositoryOf(acme, repositoryId);
    expect(repository).toMatchObject({ fullName: "Codertocat/Hello-World", defaultBranch: "master" });
    const pr = await pullRequestOf(acme, repositoryId);
    expect(pr).toMatchObject({
      repositoryId: repository!.id,
      number: 2,
      title: "Update the README with new information.",
      body: "This is a pretty simple change that we need to pull into master.",
      state: "open",
      authorLogin: "Codertocat",
      url: "https://github.com/Codertocat/Hello-World/pull/2",
      headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      baseBranch: "master",
      openedAt: new Date("2019-05-15T15:20:33Z"),
      mergedAt: null,
      closedAt: null,
      mergeCommitSha: null,
      linkedDocumentIds: [],
    });
    expect(summary).toEqual({
      event: "pull_request",
      action: "opened",
      touched: [
        { table: "repositories", id: repository!.id, applied: true },
        { table: "pull_requests", id: pr!.id, applied: true },
      ],
    });
  });

  it("stores the milestone a delivery files the pull request under, and a copy without one leaves it", async () => {
    const repositoryId = newRepositoryId();
    const opened = example("pull_request", PR_OPENED, repositoryId);
    opened.pull_request.milestone = { number: 1, title: "v1.0", state: "open", due_on: "2019-06-01T07:00:00Z" };
    await apply(acme, "pull_request", opened);
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({
      milestone: "v1.0",
      milestoneDueAt: new Date("2019-06-01T07:00:00Z"),
    });

    const withoutField = example("pull_request", PR_SYNCHRONIZE, repositoryId);
    delete withoutField.pull_request.milestone;
    await apply(acme, "pull_request", withoutField);
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({ milestone: "v1.0" });

    const demilestoned = example("pull_request", PR_SYNCHRONIZE, repositoryId);
    demilestoned.pull_request.milestone = null;
    await apply(acme, "pull_request", demilestoned);
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({ milestone: null, milestoneDueAt: null });
  });

  it("records a merge, and a synchronize delivered after it does not reopen the pull request", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "pull_request", example("pull_request", PR_OPENED, repositoryId));
    // The recorded close was not a merge: make it one, merged when it was closed.
    const merged = example("pull_request", PR_CLOSED, repositoryId);
    merged.pull_request.merged = true;
    merged.pull_request.merged_at = merged.pull_request.closed_at;
    await apply(acme, "pull_request", merged);
    const expected = {
      state: "merged",
      mergedAt: new Date("2019-05-15T15:21:18Z"),
      closedAt: new Date("2019-05-15T15:21:18Z"),
      mergeCommitSha: "c4295bd74fb0f4fda03689c3df3f2803b658fd85",
    };
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject(expected);

    // Its head was pushed (updated_at 15:20:33) before the merge, but the delivery arrives after it.
    const late = await apply(acme, "pull_request", example("pull_request", PR_SYNCHRONIZE, repositoryId));
    expect(late.touched.find((row) => row.table === "pull_requests")).toMatchObject({ applied: false });
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject(expected);
  });

  it("closes without a merge, ignores a late synchronize, and reopens on a genuine reopen", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "pull_request", example("pull_request", PR_CLOSED, repositoryId));
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({
      state: "closed",
      closedAt: new Date("2019-05-15T15:21:18Z"),
      mergedAt: null,
      mergeCommitSha: null,
    });

    await apply(acme, "pull_request", example("pull_request", PR_SYNCHRONIZE, repositoryId));
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({ state: "closed" });

    // The recorded reopen's updated_at (15:20:33) predates the recorded close; a real one follows it.
    const reopened = example("pull_request", PR_REOPENED, repositoryId);
    reopened.pull_request.updated_at = "2019-05-15T15:22:00Z";
    await apply(acme, "pull_request", reopened);
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({ state: "open", closedAt: null });
  });

  it("links the organization's own documents mentioned in the title and body, never another's", async () => {
    const repositoryId = newRepositoryId();
    const design = await createDocument(acme, "Ledger design");
    const rfc = await createDocument(acme, "Ledger RFC");
    const foreign = await createDocument(globex, "Globex secret plan");
    const opened = example("pull_request", PR_OPENED, repositoryId);
    // The recorded body mentions no document: mention two of Acme's, one of Globex's and one that does not exist.
    opened.pull_request.title = `Ledger: double entry (devflow:${rfc.id})`;
    opened.pull_request.body = [
      `Implements https://devflow.example.test/${acme.organization.slug}/documents/${design.id}.`,
      `Also https://devflow.example.test/${globex.organization.slug}/documents/${foreign.id}`,
      `and devflow:${randomUUID()}.`,
    ].join("\n");
    await apply(acme, "pull_request", opened);
    expect((await pullRequestOf(acme, repositoryId))!.linkedDocumentIds).toEqual([rfc.id, design.id]);

    // An edit that drops the links drops them from the pull request too.
    const edited = example("pull_request", PR_OPENED, repositoryId);
    edited.action = "edited";
    await apply(acme, "pull_request", edited);
    expect((await pullRequestOf(acme, repositoryId))!.linkedDocumentIds).toEqual([]);
  });
});

describe("pull_request_review", () => {
  // The recorded reviews are "commented" ones by the pull request's own author; each test sets the
  // reviewer and state it is about.
  function review(repositoryId: number, { login, state, at }: { login: string; state: string; at: string }) {
    const payload = example("pull_request_review", REVIEW_SUBMITTED, repositoryId);
    payload.review.user.login = login;
    payload.review.state = state;
    payload.review.submitted_at = at;
    return payload;
  }

  it("records the first review and the first approval, whatever order reviews arrive in", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "pull_request", example("pull_request", PR_OPENED, repositoryId));
    await apply(
      acme,
      "pull_request_review",
      review(repositoryId, { login: "hubot", state: "approved", at: "2019-05-15T15:40:00Z" }),
    );
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({
      firstReviewAt: new Date("2019-05-15T15:40:00Z"),
      approvedAt: new Date("2019-05-15T15:40:00Z"),
    });

    await apply(
      acme,
      "pull_request_review",
      review(repositoryId, { login: "octocat", state: "commented", at: "2019-05-15T15:30:00Z" }),
    );
    await apply(
      acme,
      "pull_request_review",
      review(repositoryId, { login: "octocat", state: "approved", at: "2019-05-15T16:00:00Z" }),
    );
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({
      firstReviewAt: new Date("2019-05-15T15:30:00Z"),
      approvedAt: new Date("2019-05-15T15:40:00Z"),
    });
  });

  it("does not count the author's own review, and creates the pull request a review arrives before", async () => {
    const repositoryId = newRepositoryId();
    await apply(
      acme,
      "pull_request_review",
      review(repositoryId, { login: "Codertocat", state: "commented", at: "2019-05-15T15:25:00Z" }),
    );
    expect(await pullRequestOf(acme, repositoryId)).toMatchObject({
      title: "Update the README with new information.",
      state: "open",
      firstReviewAt: null,
      approvedAt: null,
    });
  });
});

describe("deployment and deployment_status", () => {
  function status(repositoryId: number, state: string, at: string, deploymentId?: number) {
    // The recorded status is a success at 15:20:55; each step sets its own state and time.
    const payload = example("deployment_status", STATUS_SUCCESS_PRODUCTION, repositoryId);
    payload.deployment_status.state = state;
    payload.deployment_status.created_at = at;
    if (deploymentId) payload.deployment.id = deploymentId;
    return payload;
  }

  it("follows a deployment from creation to success, and a late pending or older failure does not undo it", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "deployment", example("deployment", DEPLOYMENT_PRODUCTION, repositoryId));
    const [created] = await deploymentsOf(acme, repositoryId);
    expect(created).toMatchObject({
      externalId: "145988746",
      environment: "production",
      sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      ref: "master",
      status: "pending",
      createdAt: new Date("2019-05-15T15:20:53Z"),
      finishedAt: null,
    });

    await apply(acme, "deployment_status", status(repositoryId, "queued", "2019-05-15T15:20:53Z"));
    expect((await deploymentsOf(acme, repositoryId))[0]).toMatchObject({ status: "pending" });
    await apply(acme, "deployment_status", status(repositoryId, "in_progress", "2019-05-15T15:20:54Z"));
    expect((await deploymentsOf(acme, repositoryId))[0]).toMatchObject({ status: "in_progress" });
    // The recorded success, as GitHub sent it.
    await apply(acme, "deployment_status", example("deployment_status", STATUS_SUCCESS_PRODUCTION, repositoryId));
    const succeeded = { status: "success", finishedAt: new Date("2019-05-15T15:20:55Z") };
    expect((await deploymentsOf(acme, repositoryId))[0]).toMatchObject(succeeded);

    const late = await apply(acme, "deployment_status", status(repositoryId, "pending", "2019-05-15T15:20:53Z"));
    expect(late.touched.at(-1)).toMatchObject({ table: "deployments", applied: false });
    await apply(acme, "deployment_status", status(repositoryId, "failure", "2019-05-15T15:20:54Z"));
    const redelivered = await apply(acme, "deployment", example("deployment", DEPLOYMENT_PRODUCTION, repositoryId));
    expect(redelivered.touched.at(-1)).toMatchObject({ table: "deployments" });
    expect(await deploymentsOf(acme, repositoryId)).toEqual([expect.objectContaining(succeeded)]);
  });

  it("records a failure, and a status that arrives before its deployment creates it", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "deployment_status", status(repositoryId, "failure", "2019-05-15T15:21:30Z", 7001));
    expect(await deploymentsOf(acme, repositoryId)).toEqual([
      expect.objectContaining({
        externalId: "7001",
        environment: "production",
        status: "failure",
        finishedAt: new Date("2019-05-15T15:21:30Z"),
      }),
    ]);
  });
});

describe("issues labelled incident", () => {
  // The recorded issue (#1, opened 15:20:18, labelled "bug") becomes an incident by adding the
  // `incident` label and a severity, and is opened at `openedAt` where the test needs a time.
  function incidentIssue(repositoryId: number, openedAt = "2019-05-15T16:00:00Z", action = "opened") {
    const payload = example("issues", ISSUE_OPENED, repositoryId);
    payload.action = action;
    payload.issue.labels.push(
      { ...payload.issue.labels[0], name: "incident" },
      { ...payload.issue.labels[0], name: "severity:high" },
    );
    payload.issue.created_at = openedAt;
    payload.issue.updated_at = openedAt;
    return payload;
  }
  function closedIssue(repositoryId: number, closedAt: string) {
    const payload = incidentIssue(repositoryId, "2019-05-15T16:00:00Z", "closed");
    payload.issue.state = "closed";
    payload.issue.closed_at = closedAt;
    payload.issue.updated_at = closedAt;
    return payload;
  }
  /** A production (or other) deployment that succeeded at `finishedAt`. */
  async function deploySuccessfully(
    repositoryId: number,
    deploymentId: number,
    finishedAt: string,
    environment = "production",
  ) {
    const payload = example("deployment_status", STATUS_SUCCESS_PRODUCTION, repositoryId);
    payload.deployment.id = deploymentId;
    payload.deployment.environment = environment;
    payload.deployment_status.created_at = finishedAt;
    await apply(acme, "deployment_status", payload);
    return (await deploymentsOf(acme, repositoryId)).find((d) => d.externalId === String(deploymentId))!;
  }

  it("stores an incident attributed to the last production deployment that succeeded before it opened", async () => {
    const repositoryId = newRepositoryId();
    await deploySuccessfully(repositoryId, 1, "2019-05-15T14:00:00Z");
    const live = await deploySuccessfully(repositoryId, 2, "2019-05-15T15:00:00Z");
    await deploySuccessfully(repositoryId, 3, "2019-05-15T15:30:00Z", "staging");
    await deploySuccessfully(repositoryId, 4, "2019-05-15T17:00:00Z");

    await apply(acme, "issues", incidentIssue(repositoryId));
    expect(await incidentsOf(acme, repositoryId)).toEqual([
      expect.objectContaining({
        externalId: `github:${repositoryId}:1`,
        title: "Spelling error in the README file",
        severity: "high",
        openedAt: new Date("2019-05-15T16:00:00Z"),
        resolvedAt: null,
        deploymentId: live.id,
      }),
    ]);

    await apply(acme, "issues", closedIssue(repositoryId, "2019-05-15T18:00:00Z"));
    // A reopen recorded before the close (and delivered after it) does not unresolve it.
    await apply(acme, "issues", incidentIssue(repositoryId, "2019-05-15T16:00:00Z", "reopened"));
    expect(await incidentsOf(acme, repositoryId)).toEqual([
      expect.objectContaining({ resolvedAt: new Date("2019-05-15T18:00:00Z"), deploymentId: live.id }),
    ]);
  });

  it("attributes an incident delivered before the deployment's success once the success arrives", async () => {
    const repositoryId = newRepositoryId();
    await apply(acme, "issues", incidentIssue(repositoryId));
    expect(await incidentsOf(acme, repositoryId)).toEqual([expect.objectContaining({ deploymentId: null })]);

    const earlier = await deploySuccessfully(repositoryId, 1, "2019-05-15T14:00:00Z");
    const latest = await deploySuccessfully(repositoryId, 2, "2019-05-15T15:00:00Z");
    await deploySuccessfully(repositoryId, 3, "2019-05-15T16:30:00Z");
    expect(earlier.id).not.toBe(latest.id);
    expect(await incidentsOf(acme, repositoryId)).toEqual([expect.objectContaining({ deploymentId: latest.id })]);
  });

  it("leaves an attribution an admin chose alone, whatever the issue or later deployments do", async () => {
    const repositoryId = newRepositoryId();
    const chosen = await deploySuccessfully(repositoryId, 1, "2019-05-15T14:00:00Z");
    await deploySuccessfully(repositoryId, 2, "2019-05-15T15:00:00Z");
    await apply(acme, "issues", incidentIssue(repositoryId));
    const [incident] = await incidentsOf(acme, repositoryId);
    // As attributeIncident (libs/domain/dora) records an admin's choice.
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.incident.update({ where: { id: incident!.id }, data: { deploymentId: chosen.id, attributedManually: true } }),
    );

    await apply(acme, "issues", incidentIssue(repositoryId, "2019-05-15T16:00:00Z", "edited"));
    // A success before the incident opened would claim it under the rule.
    await deploySuccessfully(repositoryId, 3, "2019-05-15T15:45:00Z");
    expect(await incidentsOf(acme, repositoryId)).toEqual([
      expect.objectContaining({ id: incident!.id, deploymentId: chosen.id, attributedManually: true }),
    ]);
  });

  it("keeps one incident per issue when two deliveries for it are applied at once", async () => {
    const repositoryId = newRepositoryId();
    await Promise.all([
      apply(acme, "issues", incidentIssue(repositoryId)),
      apply(acme, "issues", incidentIssue(repositoryId, "2019-05-15T16:00:00Z", "labeled")),
      apply(acme, "issues", incidentIssue(repositoryId, "2019-05-15T16:00:00Z", "edited")),
    ]);
    expect(await incidentsOf(acme, repositoryId)).toHaveLength(1);
  });

  it("makes no incident of an issue without the label, and stores nothing but the repository for an issue comment or a ping", async () => {
    const repositoryId = newRepositoryId();
    const issue = await apply(acme, "issues", example("issues", ISSUE_OPENED, repositoryId));
    const comment = await apply(acme, "issue_comment", example("issue_comment", 0, repositoryId));
    expect(issue.touched.map((row) => row.table)).toEqual(["repositories", "issues"]);
    expect(comment.touched.map((row) => row.table)).toEqual(["repositories"]);
    expect(await incidentsOf(acme, repositoryId)).toEqual([]);

    const pingRepositoryId = newRepositoryId();
    expect((await apply(acme, "ping", example("ping", 0, pingRepositoryId))).touched).toEqual([]);
    expect(await repositoryOf(acme, pingRepositoryId)).toBeNull();
  });
});

describe("issues", () => {
  const issueOf = (org: OrganizationFixture, repositoryId: number, number: number) =>
    t.db.withTenant(org.ctx, (tx) =>
      tx.issue.findFirst({ where: { number, repository: { externalId: String(repositoryId) } } }),
    );

  /** The recorded issue (#1, "bug") as GitHub described it at `updatedAt`, after `action`. */
  function issueEvent(repositoryId: number, action: string, updatedAt: string, changes: Record<string, unknown> = {}) {
    const payload = example("issues", ISSUE_OPENED, repositoryId);
    payload.action = action;
    Object.assign(payload.issue, { updated_at: updatedAt }, changes);
    return payload;
  }

  it("keeps every issue with its labels, author and the organization's own documents it mentions", async () => {
    const repositoryId = newRepositoryId();
    const design = await createDocument(acme, "Queue design");
    const foreign = await createDocument(globex, "Globex queue design");
    const recorded = example("issues", ISSUE_OPENED, repositoryId);
    const opened = issueEvent(repositoryId, "opened", recorded.issue.updated_at, {
      body: `Broken since devflow:${design.id} landed; compare devflow:${foreign.id}.`,
    });
    await apply(acme, "issues", opened);
    const issue = await issueOf(acme, repositoryId, recorded.issue.number);
    expect(issue).toMatchObject({
      title: recorded.issue.title,
      state: "open",
      labels: recorded.issue.labels.map((label: { name: string }) => label.name),
      authorLogin: recorded.issue.user.login,
      url: recorded.issue.html_url,
      linkedDocumentIds: [design.id],
      closedAt: null,
    });
    expect(await incidentsOf(acme, repositoryId)).toEqual([]);
  });

  it("keeps the milestone of a milestoned issue and clears it when demilestoned", async () => {
    const repositoryId = newRepositoryId();
    const number = example("issues", ISSUE_OPENED, repositoryId).issue.number;
    const milestone = { number: 3, title: "v2.0", state: "open", due_on: null };
    await apply(acme, "issues", issueEvent(repositoryId, "milestoned", "2030-01-01T00:00:00Z", { milestone }));
    expect(await issueOf(acme, repositoryId, number)).toMatchObject({ milestone: "v2.0", milestoneDueAt: null });
    await apply(acme, "issues", issueEvent(repositoryId, "demilestoned", "2030-01-02T00:00:00Z", { milestone: null }));
    expect(await issueOf(acme, repositoryId, number)).toMatchObject({ milestone: null });
  });

  it("never lets a late, older delivery overwrite a newer one, and forgets a deleted issue", async () => {
    const repositoryId = newRepositoryId();
    const number = example("issues", ISSUE_OPENED, repositoryId).issue.number;
    await apply(acme, "issues", issueEvent(repositoryId, "edited", "2019-05-15T16:00:00Z", { title: "Second title" }));
    await apply(
      acme,
      "issues",
      issueEvent(repositoryId, "closed", "2019-05-15T17:00:00Z", {
        title: "Second title",
        state: "closed",
        closed_at: "2019-05-15T17:00:00Z",
      }),
    );
    // The first edit, delivered last.
    const late = await apply(
      acme,
      "issues",
      issueEvent(repositoryId, "edited", "2019-05-15T15:30:00Z", { title: "First" }),
    );
    expect(late.touched.find((row) => row.table === "issues")).toMatchObject({ applied: false });
    expect(await issueOf(acme, repositoryId, number)).toMatchObject({ title: "Second title", state: "closed" });

    await apply(acme, "issues", issueEvent(repositoryId, "deleted", "2019-05-15T18:00:00Z"));
    expect(await issueOf(acme, repositoryId, number)).toBeNull();
  });
});

describe("repositories", () => {
  it("stores the repositories added to an installation, and renames on a repository event", async () => {
    const payload = structuredClone(examples.find((e) => e.name === "installation_repositories")!.examples[0]!);
    const [added] = payload.repositories_added as { id: number; full_name: string }[];
    added!.id = newRepositoryId();
    await apply(acme, "installation_repositories", payload);
    expect(await repositoryOf(acme, added!.id)).toMatchObject({ fullName: added!.full_name, defaultBranch: "main" });

    const renamed = example("repository", 9, added!.id);
    await apply(acme, "repository", renamed);
    expect(await repositoryOf(acme, added!.id)).toMatchObject({
      fullName: renamed.repository.full_name,
      defaultBranch: renamed.repository.default_branch,
    });
  });
});

describe("tenancy", () => {
  it("writes an organization's event only to that organization, even for a repository both connected", async () => {
    const repositoryId = newRepositoryId();
    const acmeDoc = await createDocument(acme, "Acme runbook");
    const opened = example("pull_request", PR_OPENED, repositoryId);
    // Mention an Acme document, to see Globex's copy of the same event not link it.
    opened.pull_request.body = `devflow:${acmeDoc.id}`;
    await apply(acme, "pull_request", opened);
    await apply(acme, "deployment", example("deployment", DEPLOYMENT_PRODUCTION, repositoryId));
    const incident = example("issues", ISSUE_OPENED, repositoryId);
    incident.issue.labels.push({ ...incident.issue.labels[0], name: "incident" }); // the label that makes it one
    await apply(acme, "issues", incident);

    expect(await repositoryOf(globex, repositoryId)).toBeNull();
    expect(await pullRequestOf(globex, repositoryId)).toBeNull();
    expect(await deploymentsOf(globex, repositoryId)).toEqual([]);
    expect(await incidentsOf(globex, repositoryId)).toEqual([]);
    expect(await t.db.withTenant(globex.ctx, (tx) => tx.issue.count())).toBe(0);

    await apply(globex, "pull_request", opened);
    const acmePr = await pullRequestOf(acme, repositoryId);
    const globexPr = await pullRequestOf(globex, repositoryId);
    expect(globexPr!.id).not.toBe(acmePr!.id);
    expect(globexPr!.repositoryId).not.toBe(acmePr!.repositoryId);
    expect(globexPr!.linkedDocumentIds).toEqual([]);
    expect(acmePr!.linkedDocumentIds).toEqual([acmeDoc.id]);
  });
});

describe("the webhook delivery handler", () => {
  const key = new Uint8Array(randomBytes(32));

  /** Stores a delivery the way the worker does, and returns the event the outbox relay would publish. */
  async function storeDelivery(org: OrganizationFixture, event: string, payload: Payload) {
    const hook = await createIntegrationsService(t.db, { encryptionKey: key }).connectGithubWebhook(org.ctx);
    const ingress = createWebhookIngress(t.db, { encryptionKey: async () => key });
    const target = await ingress.findTarget(hook.integrationId, "github");
    const stored = await ingress.storeDelivery(target!, {
      deliveryId: randomUUID(),
      event,
      body: JSON.stringify(payload),
      known: true,
    });
    const row = await t.db.withTenant(org.ctx, (tx) =>
      tx.outboxEvent.findFirstOrThrow({
        where: { type: "webhook.received", payload: { path: ["deliveryId"], equals: stored.id } },
      }),
    );
    const domainEvent: DomainEvent<"webhook.received"> = {
      id: row.id,
      type: "webhook.received",
      version: row.version,
      organizationId: row.organizationId,
      occurredAt: row.createdAt.toISOString(),
      data: row.payload as DomainEvent<"webhook.received">["data"],
    };
    return { deliveryId: stored.id, event: domainEvent };
  }

  const deliveryRow = (org: OrganizationFixture, id: string) =>
    t.db.withTenant(org.ctx, (tx) => tx.webhookDelivery.findUniqueOrThrow({ where: { id } }));

  it("applies a stored delivery once: handling the same event again changes nothing", async () => {
    const repositoryId = newRepositoryId();
    const { deliveryId, event } = await storeDelivery(
      acme,
      "pull_request",
      example("pull_request", PR_OPENED, repositoryId),
    );
    const handler = createWebhookDeliveryHandler(t.db);

    await handler.handle(event);
    const pr = await pullRequestOf(acme, repositoryId);
    const repository = await repositoryOf(acme, repositoryId);
    const delivery = await deliveryRow(acme, deliveryId);
    expect(pr).toMatchObject({ number: 2, state: "open" });
    expect(delivery).toMatchObject({ status: "processed", attempts: 1, error: null });

    await handler.handle(event);
    expect(await pullRequestOf(acme, repositoryId)).toEqual(pr);
    expect(await repositoryOf(acme, repositoryId)).toEqual(repository);
    expect(await deliveryRow(acme, deliveryId)).toEqual(delivery);
  });

  it("records why a delivery it cannot apply failed, and lets the bus retry it", async () => {
    const repositoryId = newRepositoryId();
    const broken = example("pull_request", PR_OPENED, repositoryId);
    delete broken.pull_request.head; // GitHub always sends it; without it nothing can be stored
    const { deliveryId, event } = await storeDelivery(acme, "pull_request", broken);

    await expect(createWebhookDeliveryHandler(t.db).handle(event)).rejects.toThrow(/pull_request delivery/);
    expect(await deliveryRow(acme, deliveryId)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await deliveryRow(acme, deliveryId)).error).toContain("head");
    expect(await repositoryOf(acme, repositoryId)).toBeNull();
  });

  it("completes a ping without storing anything", async () => {
    const { deliveryId, event } = await storeDelivery(acme, "ping", example("ping", 0, newRepositoryId()));
    await createWebhookDeliveryHandler(t.db).handle(event);
    expect(await deliveryRow(acme, deliveryId)).toMatchObject({ status: "processed" });
  });
});
