import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createOpenAiChatModel } from "@devflow/ai-llm";
import { openAiReplies, startFakeOpenAi, type FakeProvider } from "@devflow/ai-llm/testing";
import { PR_ANALYSIS_CHECK_NAME, PrAnalysisSchema, type PrAnalysis } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createWorkflowRunner, getWorkflowRun } from "@devflow/domain-workflows";
import { requestedEvents, type RunRequested } from "@devflow/domain-workflows/testing";
import { createResilientCallerRegistry } from "@devflow/integrations";
import { startFakeGitHub, type FakeGitHub, type FakePullRequestFile } from "@devflow/integrations/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyGitHubEvent } from "../github/github-event-processor";
import { createIntegrationClients } from "../integration-clients";
import { createIntegrationsService } from "../integrations.service";
import { createPrAnalysisWorkflow } from "./pr-analysis.workflow";

// A pull request opened, then pushed to, then redelivered — recorded GitHub payloads
// (@octokit/webhooks-examples) through the event processor, the runner handed the events the way
// its own tests do, and GitHub's REST API on loopback (the documented wire format). Both databases.

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- payloads are edited field by field

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Payload[];
}[];
const PR_OPENED = 0;
const PR_SYNCHRONIZE = 22;

const TOKEN = `ghs_${randomBytes(18).toString("hex")}`;
const key = new Uint8Array(randomBytes(32));
const OWNER = "Codertocat";
const REPO = "Hello-World";
const SHA1 = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"; // the recorded head commit
const SHA2 = "5f3e1c0ffee0d15ea5e0000000000000000000a2";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let github: FakeGitHub;
let docId: string;
const breakers = createResilientCallerRegistry({
  timeoutMs: 5_000,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  volumeThreshold: 5,
});
let nextRepositoryId = 700_000;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  github = await startFakeGitHub({ token: TOKEN });
  // The service is given the loopback API root directly; the route would insist on https.
  await createIntegrationsService(t.db, { encryptionKey: key }).connectGithubToken(acme.ctx, {
    token: TOKEN,
    apiUrl: github.url,
  });
  docId = await t.db.withTenant(acme.ctx, async (tx) => {
    const project = await tx.project.create({
      data: { organizationId: acme.organization.id, key: "PAY", name: "Payments" },
    });
    const doc = await tx.document.create({
      data: {
        organizationId: acme.organization.id,
        projectId: project.id,
        title: "Refund retries",
        status: "approved",
        version: 12,
        content:
          "# Refund retries\n\nRetries live in `libs/payments/` (`refund.ts`), scheduled by `scheduleRefundRetry`.",
      },
    });
    await tx.documentRevision.create({
      data: { organizationId: acme.organization.id, documentId: doc.id, version: 10, name: "Approved", content: "" },
    });
    return doc.id;
  });
});
afterAll(async () => {
  breakers.shutdown();
  await github?.close();
  await t?.drop();
});

const clients = () => createIntegrationClients(t.db, { encryptionKey: async () => key, breakers });
const runner = () =>
  createWorkflowRunner(t.db, {
    workflows: [
      createPrAnalysisWorkflow({
        db: t.db,
        github: (organizationId) => clients().github(organizationId),
        webBaseUrl: "https://devflow.example.test",
      }),
    ],
  });

/** A recorded payload, moved to `repositoryId`, at `sha`, linking the design doc. */
function payload(index: number, repositoryId: number, sha: string, updatedAt: string): Payload {
  const body = structuredClone(examples.find((e) => e.name === "pull_request")!.examples[index]!);
  body.repository.id = repositoryId;
  body.pull_request.head.sha = sha;
  body.pull_request.updated_at = updatedAt;
  body.pull_request.body = `Retries failed refunds. Implements devflow:${docId}`;
  return body;
}

const apply = (org: OrganizationFixture, body: Payload) =>
  t.db.withTenant(org.ctx, (tx) =>
    applyGitHubEvent(tx, {
      organizationId: org.organization.id,
      integrationId: null,
      event: "pull_request",
      payload: body,
    }),
  );

const runsOf = (org: OrganizationFixture) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.workflowRun.findMany({ where: { workflow: "pr-analysis" }, orderBy: { createdAt: "asc" } }),
  );

async function eventFor(org: OrganizationFixture, triggerKey: string): Promise<RunRequested> {
  const run = (await runsOf(org)).find((r) => r.triggerKey === triggerKey);
  expect(run, `a run for ${triggerKey}`).toBeDefined();
  const events = await requestedEvents(t.db, org.organization.id, run!.id);
  expect(events).toHaveLength(1);
  return events[0]!;
}

const analysisOf = async (repositoryId: number): Promise<PrAnalysis> => {
  const row = await t.db.withTenant(acme.ctx, (tx) =>
    tx.pullRequest.findFirstOrThrow({ where: { number: 2, repository: { externalId: String(repositoryId) } } }),
  );
  return PrAnalysisSchema.parse(row.analysis);
};

/** GitHub's side of the pull request at `sha`. */
function pushToGitHub(
  sha: string,
  files: FakePullRequestFile[],
  body = `Retries failed refunds. Implements devflow:${docId}`,
) {
  github.addPullRequest(OWNER, REPO, {
    number: 2,
    title: "Update the README with new information.",
    body,
    state: "open",
    draft: false,
    merged: false,
    user: { login: "Codertocat" },
    head: { ref: "changes", sha },
    base: { ref: "master", sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e" },
    files,
    commits: [
      {
        sha: `${sha.slice(0, 39)}0`,
        message: "Start refunds",
        author: { login: "Codertocat" },
        date: "2019-05-14T09:30:00Z",
      },
      { sha, message: "Retry refunds\n\nDetails.", author: { login: "Codertocat" }, date: "2019-05-15T10:00:00Z" },
    ],
  });
}

const REFUND_V1 = [
  "@@ -1,2 +1,4 @@",
  " export function refund() {",
  "+  // TODO: partial refunds",
  "+  console.log(refund);",
  " }",
];
const REFUND_V2 = [
  "@@ -1,2 +1,5 @@",
  " export function refund() {",
  "+  scheduleRefundRetry(refund.id);",
  "+  // TODO: partial refunds",
  "+  console.log(refund);",
  " }",
];
const file = (filename: string, lines: string[]): FakePullRequestFile => ({
  filename,
  status: "modified",
  additions: lines.filter((l) => l.startsWith("+")).length,
  deletions: 0,
  patch: lines.join("\n"),
});

const requests = (method: string, pattern: RegExp) =>
  github.requests.filter((r) => r.method === method && pattern.test(r.path)).length;

describe("the pull-request analysis", () => {
  it("comments once and checks each push; a push edits the same comment, and a redelivery changes nothing", async () => {
    const repositoryId = nextRepositoryId++;
    const key1 = `github:pr:${repositoryId}:2:${SHA1}`;
    const key2 = `github:pr:${repositoryId}:2:${SHA2}`;

    // Opened: source changed without tests, so the default gates fail.
    pushToGitHub(SHA1, [
      file("libs/payments/src/refund.ts", REFUND_V1),
      file("README.md", ["@@ -1 +1,2 @@", " Hi", "+More"]),
    ]);
    await apply(acme, payload(PR_OPENED, repositoryId, SHA1, "2019-05-15T15:20:33Z"));
    await runner().handle(await eventFor(acme, key1));

    const [first] = await runsOf(acme);
    expect(await getWorkflowRun(t.db, acme.ctx, first!.id)).toMatchObject({ status: "succeeded", error: null });
    const comments = github.comments(OWNER, REPO, 2);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- devflow:pr-analysis -->");
    expect(comments[0]!.body).toContain("### DevFlow analysis of ec26c3e");
    expect(comments[0]!.body).toContain(
      `[Refund retries](https://devflow.example.test/${acme.organization.slug}/documents/${docId}) (linked, approved, read at v12, revision “Approved”)`,
    );
    expect(github.checkRuns(OWNER, REPO)).toMatchObject([
      { name: PR_ANALYSIS_CHECK_NAME, head_sha: SHA1, status: "completed", conclusion: "failure" },
    ]);
    expect(github.checkRuns(OWNER, REPO)[0]!.output.summary).toContain(
      "| `requireTestsWithSource` | failed | Source files changed but no test file did |",
    );

    const opened = await analysisOf(repositoryId);
    expect(opened).toMatchObject({
      headSha: SHA1,
      commentId: comments[0]!.id,
      checkRunId: github.checkRuns(OWNER, REPO)[0]!.id,
      conclusion: "failure",
      missingTests: ["libs/payments"],
      docs: [{ documentId: docId, version: 12, status: "approved", source: "linked", revision: { name: "Approved" } }],
      compliance: [{ documentId: docId, version: 12, outcome: "partial", unmentionedAreas: ["(root)"] }],
      summary: { totalFiles: 2, analyzedFiles: 2, commits: 2 },
    });
    // Lead time starts at the earliest commit, which only the commits call tells.
    const row = await t.db.withTenant(acme.ctx, (tx) =>
      tx.pullRequest.findFirstOrThrow({ where: { number: 2, repository: { externalId: String(repositoryId) } } }),
    );
    expect(row.firstCommitAt).toEqual(new Date("2019-05-14T09:30:00Z"));
    expect(opened.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ["debug-statement", "libs/payments/src/refund.ts", 3],
      ["todo-added", "libs/payments/src/refund.ts", 2],
    ]);
    expect(requests("POST", /\/issues\/2\/comments$/)).toBe(1);

    // A push: a new head commit, the flagged lines moved down one, tests added.
    pushToGitHub(SHA2, [
      file("libs/payments/src/refund.ts", REFUND_V2),
      file("libs/payments/src/refund.test.ts", ["@@ -0,0 +1 @@", "+it('retries', () => {});"]),
    ]);
    const synchronize = payload(PR_SYNCHRONIZE, repositoryId, SHA2, "2019-05-15T16:00:00Z");
    await apply(acme, synchronize);
    const pushed = await eventFor(acme, key2);
    await runner().handle(pushed);

    expect(github.comments(OWNER, REPO, 2)).toHaveLength(1);
    expect(requests("POST", /\/issues\/2\/comments$/)).toBe(1);
    expect(requests("PATCH", new RegExp(`/issues/comments/${comments[0]!.id}$`))).toBe(1);
    expect(github.comments(OWNER, REPO, 2)[0]!.body).toContain("### DevFlow analysis of 5f3e1c0");
    expect(github.checkRuns(OWNER, REPO).map((r) => [r.head_sha, r.conclusion])).toEqual([
      [SHA1, "failure"],
      [SHA2, "success"],
    ]);
    const after = await analysisOf(repositoryId);
    expect(after).toMatchObject({ headSha: SHA2, commentId: comments[0]!.id, conclusion: "success", missingTests: [] });
    // Already reported: same fingerprints, first seen at the first push, at their new lines.
    expect(after.findings.map((f) => [f.fingerprint, f.line, f.firstSeenSha])).toEqual(
      opened.findings.map((f) => [f.fingerprint, f.line + 1, SHA1]),
    );

    // The same delivery again, and the runner's event again: no new run, no request to GitHub.
    const sent = github.requests.length;
    await apply(acme, synchronize);
    await runner().handle(pushed);
    expect((await runsOf(acme)).map((r) => [r.triggerKey, r.status])).toEqual([
      [key1, "succeeded"],
      [key2, "succeeded"],
    ]);
    expect(await requestedEvents(t.db, acme.organization.id, (await runsOf(acme))[1]!.id)).toHaveLength(1);
    expect(github.requests.length).toBe(sent);
  });

  it("finds its comment by the marker when the stored id is gone, instead of posting a second", async () => {
    const repositoryId = nextRepositoryId++;
    // Another repository of the same owner/name on GitHub's side: the fake's PR #2 already has the comment.
    const before = github.comments(OWNER, REPO, 2).length;
    const sha = "9".repeat(40);
    pushToGitHub(sha, [file("libs/payments/src/refund.ts", REFUND_V1)]);
    await apply(acme, payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z"));
    await runner().handle(await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`));
    expect(github.comments(OWNER, REPO, 2)).toHaveLength(before);
    expect((await analysisOf(repositoryId)).commentId).toBe(github.comments(OWNER, REPO, 2)[0]!.id);
  });

  it("matches a pull request that links no doc by search, keeping only the organization's own docs", async () => {
    const repositoryId = nextRepositoryId++;
    const sha = "8".repeat(40);
    const globexDoc = await t.db.withTenant(globex.ctx, async (tx) => {
      const project = await tx.project.create({
        data: { organizationId: globex.organization.id, key: "GLX", name: "Globex" },
      });
      return tx.document.create({
        data: { organizationId: globex.organization.id, projectId: project.id, title: "Globex refunds" },
      });
    });
    const queries: string[] = [];
    const searching = createWorkflowRunner(t.db, {
      workflows: [
        createPrAnalysisWorkflow({
          db: t.db,
          github: (organizationId) => clients().github(organizationId),
          webBaseUrl: "https://devflow.example.test",
          // A search gone wrong: another organization's doc first. Reading it as Acme finds nothing.
          searchDocuments: async (_organizationId, query) => (queries.push(query), [globexDoc.id, docId]),
        }),
      ],
    });
    pushToGitHub(sha, [file("libs/payments/src/refund.ts", REFUND_V1)], "Retries failed refunds.");
    const body = payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z");
    body.pull_request.body = "Retries failed refunds.";
    await apply(acme, body);
    await searching.handle(await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`));

    expect(queries).toEqual(["Update the README with new information.\nRetries failed refunds."]);
    expect((await analysisOf(repositoryId)).docs).toMatchObject([{ documentId: docId, source: "retrieved" }]);
  });

  it("stops after fetch when GitHub's head has moved on: the newer push's run reports", async () => {
    const repositoryId = nextRepositoryId++;
    const stale = "7".repeat(40);
    pushToGitHub("6".repeat(40), [file("libs/payments/src/refund.ts", REFUND_V1)]);
    await apply(acme, payload(PR_OPENED, repositoryId, stale, "2019-05-15T15:20:33Z"));
    const checks = github.checkRuns(OWNER, REPO).length;
    const event = await eventFor(acme, `github:pr:${repositoryId}:2:${stale}`);
    await runner().handle(event);

    const run = await getWorkflowRun(t.db, acme.ctx, event.data.runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((step) => step.output)).toEqual([
      { superseded: "6".repeat(40) },
      ...Array(5).fill({ skipped: `superseded by ${"6".repeat(40)}` }),
    ]);
    expect(github.checkRuns(OWNER, REPO)).toHaveLength(checks);
  });

  it("updates the check run an attempt created but never heard back about, instead of posting a second", async () => {
    const repositoryId = nextRepositoryId++;
    const sha = "9b".repeat(20);
    pushToGitHub(sha, [file("libs/payments/src/refund.ts", REFUND_V1)]);
    await apply(acme, payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z"));
    // GitHub creates the check run, but its answer is lost: the step fails and is retried.
    github.loseNextAnswer("POST", /\/check-runs$/);
    const event = await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`);
    await runner().handle(event);

    const run = await getWorkflowRun(t.db, acme.ctx, event.data.runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.find((step) => step.name === "check")).toMatchObject({ status: "succeeded", attempts: 2 });
    const checks = github.checkRuns(OWNER, REPO).filter((check) => check.head_sha === sha);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ external_id: event.data.runId, status: "completed", conclusion: "failure" });
    expect((await analysisOf(repositoryId)).checkRunId).toBe(checks[0]!.id);
  }, 30_000);

  it("reads the issues the body references and the code owners of the changed files", async () => {
    const repositoryId = nextRepositoryId++;
    const sha = "c0".repeat(20);
    const text = "Retries failed refunds. Fixes #7, see #8.";
    // GitHub uses the first CODEOWNERS it finds, at the base branch.
    github.addFile(
      OWNER,
      REPO,
      ".github/CODEOWNERS",
      "* @Codertocat\n/libs/payments/ @alice @acme/payments\n",
      "master",
    );
    github.addFile(OWNER, REPO, "docs/CODEOWNERS", "* @not-read\n", "master");
    pushToGitHub(
      sha,
      [file("libs/payments/src/refund.ts", REFUND_V1), file("README.md", ["@@ -1 +1,2 @@", " Hi", "+More"])],
      text,
    );
    const body = payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z");
    body.pull_request.body = text;
    await apply(acme, body);
    // The issue the pull request closes, stored with its triage and the design doc it links.
    await t.db.withTenant(acme.ctx, async (tx) => {
      const repository = await tx.repository.findFirstOrThrow({ where: { externalId: String(repositoryId) } });
      await tx.issue.create({
        data: {
          organizationId: acme.organization.id,
          repositoryId: repository.id,
          number: 7,
          title: "Refunds fail twice",
          state: "open",
          labels: ["bug"],
          url: `https://github.com/${OWNER}/${REPO}/issues/7`,
          linkedDocumentIds: [docId],
          triage: { priority: { value: "P1", because: ["fail"] } },
          openedAt: new Date("2019-05-01T00:00:00Z"),
          sourceUpdatedAt: new Date("2019-05-01T00:00:00Z"),
        },
      });
    });
    await runner().handle(await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`));

    const analysis = await analysisOf(repositoryId);
    expect(analysis.linkedIssues).toEqual([
      {
        number: 7,
        relation: "closes",
        title: "Refunds fail twice",
        state: "open",
        url: `https://github.com/${OWNER}/${REPO}/issues/7`,
        priority: "P1",
      },
      { number: 8, relation: "mentions", title: null, state: null, url: null, priority: null },
    ]);
    // The pull request links no doc: the one its closed issue links is the doc it implements.
    expect(analysis.docs).toMatchObject([{ documentId: docId, source: "issue", version: 12 }]);
    // The author owns everything by `*`, and is no reviewer of their own pull request.
    expect(analysis.reviewers).toEqual([
      { login: "acme/payments", pullRequests: 0, directories: [], kind: "owner", reason: "owns 1 changed file" },
      { login: "alice", pullRequests: 0, directories: [], kind: "owner", reason: "owns 1 changed file" },
    ]);
    const comment = github.comments(OWNER, REPO, 2)[0]!.body;
    expect(comment).toContain(
      `**Linked issues:** closes [#7](https://github.com/${OWNER}/${REPO}/issues/7) Refunds fail twice (open, P1), mentions #8`,
    );
    expect(comment).toContain(
      "**Suggested reviewers:** @acme/payments (owns 1 changed file), @alice (owns 1 changed file)",
    );
    expect(comment).toContain(
      `[Refund retries](https://devflow.example.test/${acme.organization.slug}/documents/${docId}) (issue, approved`,
    );
  });

  it("starts no run for an organization without a GitHub token", async () => {
    const repositoryId = nextRepositoryId++;
    const summary = await apply(globex, payload(PR_OPENED, repositoryId, SHA1, "2019-05-15T15:20:33Z"));
    expect(summary.touched.map((row) => row.table)).toEqual(["repositories", "pull_requests"]);
    expect(await runsOf(globex)).toEqual([]);
  });
});

describe("the pull-request analysis with a configured chat model", () => {
  const MODEL_KEY = `sk-test-${randomBytes(8).toString("hex")}`;
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: MODEL_KEY });
  });
  afterAll(async () => {
    await fake?.close();
  });

  // The real OpenAI client against OpenAI's chat-completions wire format on loopback; no retries, so
  // a 500 fails the call at once.
  const reviewing = () =>
    createWorkflowRunner(t.db, {
      workflows: [
        createPrAnalysisWorkflow({
          db: t.db,
          github: (organizationId) => clients().github(organizationId),
          webBaseUrl: "https://devflow.example.test",
          chatModel: createOpenAiChatModel({
            model: "gpt-4o-mini",
            apiKey: MODEL_KEY,
            baseUrl: fake.baseUrl,
            maxRetries: 0,
          }),
        }),
      ],
    });

  async function analyseWithModel(sha: string) {
    const repositoryId = nextRepositoryId++;
    pushToGitHub(sha, [file("libs/payments/src/refund.ts", REFUND_V2)]);
    await apply(acme, payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z"));
    const event = await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`);
    await reviewing().handle(event);
    return {
      run: await getWorkflowRun(t.db, acme.ctx, event.data.runId),
      analysis: await analysisOf(repositoryId),
      comment: github.comments(OWNER, REPO, 2)[0]!.body,
      check: github.checkRuns(OWNER, REPO).find((c) => c.head_sha === sha)!,
    };
  }

  it("adds the model's summary, its findings in the diff and a note per doc in their own section, and stores them", async () => {
    const answer = JSON.stringify({
      summary: "Schedules a retry for failed refunds. The retry has no limit.",
      findings: [
        { file: "libs/payments/src/refund.ts", line: 2, severity: "warning", message: "Retries without a limit." },
        { file: "libs/payments/src/ledger.ts", line: 7, severity: "critical", message: "Not in this diff." },
      ],
      docs: [
        { documentId: docId, verdict: "follows", explanation: "The doc puts retries in `scheduleRefundRetry`." },
        { documentId: randomUUID(), verdict: "deviates", explanation: "A doc nobody linked." },
      ],
    });
    fake.enqueue(openAiReplies.text([answer.slice(0, 40), answer.slice(40, 200), answer.slice(200)]));
    const { run, analysis, comment, check } = await analyseWithModel("a1".repeat(20));

    expect(run.status).toBe("succeeded");
    // One call: the rule findings, the doc's text at the version read, and the numbered added lines.
    const prompt = JSON.stringify(fake.requests.at(-1)!.body.messages);
    expect(prompt).toContain("Retries live in `libs/payments/`");
    expect(prompt).toContain("debug-statement libs/payments/src/refund.ts:4");
    expect(prompt).toContain("2:   scheduleRefundRetry(refund.id);");

    expect(analysis.review).toEqual({
      model: "gpt-4o-mini",
      provider: "openai",
      summary: "Schedules a retry for failed refunds. The retry has no limit.",
      findings: [
        {
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          source: "model",
          severity: "warning",
          file: "libs/payments/src/refund.ts",
          line: 2,
          message: "Retries without a limit.",
          firstSeenSha: "a1".repeat(20),
        },
      ],
      droppedFindings: 1,
      docNotes: [
        { documentId: docId, verdict: "follows", explanation: "The doc puts retries in `scheduleRefundRetry`." },
      ],
    });
    expect(comment).toContain("#### From gpt-4o-mini");
    expect(comment).toContain("Schedules a retry for failed refunds. The retry has no limit.");
    expect(comment).toContain("- warning libs/payments/src/refund.ts:2: Retries without a limit. 🆕");
    expect(comment).toContain(
      `- [Refund retries](https://devflow.example.test/${acme.organization.slug}/documents/${docId}): follows.`,
    );
    expect(comment).not.toContain("ledger.ts");
    // The rule-based sections are all still there, and the gates ignore the model.
    expect(comment).toContain("`debug-statement` libs/payments/src/refund.ts:4");
    expect(comment.indexOf("`debug-statement`")).toBeLessThan(comment.indexOf("#### From gpt-4o-mini"));
    expect(check).toMatchObject({ conclusion: "failure" });
    expect(check.output.summary).not.toContain("Retries without a limit.");
  });

  it.each([
    ["answers with something other than the JSON asked for", () => openAiReplies.text(["Looks good to me!"])],
    ["fails with a 500", () => openAiReplies.serverError()],
  ])("posts the rule-based comment and succeeds when the model %s", async (_case, reply) => {
    fake.enqueue(reply());
    const sha = randomBytes(20).toString("hex");
    const { run, analysis, comment, check } = await analyseWithModel(sha);

    expect(run.status).toBe("succeeded");
    expect(run.steps.map((step) => [step.name, step.status])).toEqual(
      ["fetch", "docs", "analyze", "review", "comment", "check"].map((name) => [name, "succeeded"]),
    );
    expect(analysis.review).toEqual({ model: "gpt-4o-mini", provider: "openai", error: expect.any(String) });
    expect(analysis.findings.map((f) => f.rule)).toEqual(["debug-statement", "todo-added"]);
    expect(comment).toContain(`### DevFlow analysis of ${sha.slice(0, 7)}`);
    expect(comment).toContain("`debug-statement` libs/payments/src/refund.ts:4");
    expect(comment).toContain("The model's review is missing for this push; everything above is rule-based.");
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("reviews nothing without a model: the review step says so and the analysis stores no review", async () => {
    const repositoryId = nextRepositoryId++;
    const sha = "a2".repeat(20);
    pushToGitHub(sha, [file("libs/payments/src/refund.ts", REFUND_V2)]);
    await apply(acme, payload(PR_OPENED, repositoryId, sha, "2019-05-15T15:20:33Z"));
    const event = await eventFor(acme, `github:pr:${repositoryId}:2:${sha}`);
    const requestsBefore = fake.requests.length;
    await runner().handle(event);

    const run = await getWorkflowRun(t.db, acme.ctx, event.data.runId);
    expect(run.steps.find((step) => step.name === "review")?.output).toEqual({ skipped: "no model configured" });
    expect((await analysisOf(repositoryId)).review).toBeUndefined();
    expect(github.comments(OWNER, REPO, 2)[0]!.body).not.toContain("#### From");
    expect(fake.requests.length).toBe(requestsBefore);
  });
});
