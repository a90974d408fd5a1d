import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { createResilientCallerRegistry } from "@devflow/integrations";
import {
  startFakeGitHub,
  startFakeJira,
  startFakeLinear,
  type FakeGitHub,
  type FakeJira,
  type FakeLinear,
} from "@devflow/integrations/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyGitHubEvent } from "../github/github-event-processor";
import { createIntegrationClients } from "../integration-clients";
import { createIntegrationsService } from "../integrations.service";
import { createIssuesFromDocsService, type IssuesFromDocsService } from "./issues-from-docs.service";

// The trackers are loopback servers speaking GitHub's, Jira's and Linear's documented wire formats.
const key = new Uint8Array(randomBytes(32));
const GITHUB_TOKEN = `ghp_${randomBytes(18).toString("hex")}`;
const JIRA_TOKEN = `ATATT${randomBytes(16).toString("hex")}`;
const LINEAR_KEY = `lin_api_${randomBytes(16).toString("hex")}`;
const WEB = "https://devflow.example.test";

const DESIGN = [
  "# Webhook ingress",
  "",
  "## Redelivery",
  "GitHub redelivers on timeouts.",
  "- a redelivered payload is processed once",
  "- the answer comes within 50 ms",
  "",
  "## Background",
  "History of the queue.",
].join("\n");
const PASSAGE =
  "## Redelivery\nGitHub redelivers on timeouts.\n- a redelivered payload is processed once\n- the answer comes within 50 ms";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let github: FakeGitHub;
let jira: FakeJira;
let linear: FakeLinear;
let service: IssuesFromDocsService;
let documentId: string;
let repositoryId: string;
const breakers = createResilientCallerRegistry({
  timeoutMs: 5_000,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  volumeThreshold: 5,
});

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  jira = await startFakeJira({ email: "bot@acme.test", apiToken: JIRA_TOKEN, projects: { PAY: ["Task", "Bug"] } });
  linear = await startFakeLinear({ apiKey: LINEAR_KEY, teams: { "team-1": "ENG" } });
  const integrations = createIntegrationsService(t.db, { encryptionKey: key });
  await integrations.connectGithubToken(acme.ctx, { token: GITHUB_TOKEN, apiUrl: github.url });
  await integrations.connectJira(acme.ctx, { host: jira.url, email: "bot@acme.test", apiToken: JIRA_TOKEN });
  await integrations.connectLinear(acme.ctx, { apiKey: LINEAR_KEY });
  const clients = createIntegrationClients(t.db, {
    encryptionKey: async () => key,
    breakers,
    linearApiUrl: linear.apiUrl,
  });
  service = createIssuesFromDocsService(t.db, { clients, webBaseUrl: WEB });

  const project = await createProjectsService(t.db).create(acme.ctx, { name: "Ingress", description: "" });
  documentId = (
    await createDocumentsService(t.db).create(acme.ctx, project.id, {
      title: "Webhook ingress",
      kind: "design_doc",
      content: DESIGN,
    })
  ).id;
  repositoryId = (
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.repository.create({
        data: { organizationId: acme.organization.id, externalId: "4242", fullName: "acme/ingress" },
      }),
    )
  ).id;
});
afterAll(async () => {
  breakers.shutdown();
  await Promise.all([github?.close(), jira?.close(), linear?.close()]);
  await t?.drop();
});

describe("issues from a design doc's passage", () => {
  it("files a GitHub issue quoting the passage with its criteria, linked both ways", async () => {
    const member = await acme.addMember("member");
    const created = await service.create(member, documentId, { tracker: "github", repositoryId, passage: PASSAGE });
    expect(created).toMatchObject({
      provider: "github",
      externalKey: "acme/ingress#1",
      url: "https://github.example/acme/ingress/issues/1",
      title: "Redelivery",
      acceptanceCriteria: ["a redelivered payload is processed once", "the answer comes within 50 ms"],
    });
    const [filed] = github.issues("acme", "ingress");
    expect(filed!.title).toBe("Redelivery");
    expect(filed!.body).toContain("> GitHub redelivers on timeouts.");
    expect(filed!.body).toContain("- [ ] the answer comes within 50 ms");
    expect(filed!.body).toContain(`${WEB}/${acme.organization.slug}/documents/${documentId}`);

    // The doc lists it…
    expect((await service.list(acme.ctx, documentId)).items).toEqual([
      expect.objectContaining({ id: created.id, externalKey: "acme/ingress#1" }),
    ]);
    // …and GitHub's delivery of the new issue links it to the doc.
    const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
      name: string;
      examples: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- edited field by field
    }[];
    const opened = structuredClone(examples.find((e) => e.name === "issues")!.examples[15]!);
    opened.repository.id = 4242;
    opened.repository.full_name = "acme/ingress";
    Object.assign(opened.issue, { number: 1, title: filed!.title, body: filed!.body, labels: [] });
    await t.db.withTenant(acme.ctx, (tx) =>
      applyGitHubEvent(tx, {
        organizationId: acme.organization.id,
        integrationId: null,
        event: "issues",
        payload: opened,
      }),
    );
    const stored = await t.db.withTenant(acme.ctx, (tx) => tx.issue.findFirst({ where: { repositoryId, number: 1 } }));
    expect(stored!.linkedDocumentIds).toEqual([documentId]);
  });

  it("files in Jira (plain text) and Linear (markdown) too", async () => {
    const inJira = await service.create(acme.ctx, documentId, {
      tracker: "jira",
      projectKey: "PAY",
      issueType: "Task",
      passage: "GitHub redelivers on timeouts.",
      title: "Handle redeliveries",
    });
    expect(inJira).toMatchObject({ provider: "jira", title: "Handle redeliveries" });
    expect(inJira.externalKey).toMatch(/^PAY-\d+$/);
    expect(jira.issues.at(-1)!.fields).toMatchObject({ summary: "Handle redeliveries", project: { key: "PAY" } });

    const inLinear = await service.create(acme.ctx, documentId, {
      tracker: "linear",
      teamId: "team-1",
      passage: PASSAGE,
    });
    expect(inLinear.externalKey).toMatch(/^ENG-\d+$/);
    expect(linear.issues.at(-1)!.description).toContain(`devflow:${documentId}`);
    expect((await service.list(acme.ctx, documentId)).items.map((i) => i.provider)).toEqual([
      "linear",
      "jira",
      "github",
    ]);
  });

  it("tells any member which trackers can take issues, and nothing of another organization's", async () => {
    const viewer = await acme.addMember("viewer");
    expect(await service.trackers(viewer)).toEqual({ trackers: ["github", "jira", "linear"] });
    // A GitHub webhook only receives events: filing needs a token.
    await createIntegrationsService(t.db, { encryptionKey: key }).connectGithubWebhook(globex.ctx);
    expect(await service.trackers(globex.ctx)).toEqual({ trackers: [] });
  });

  it("refuses viewers, passages no longer in the doc, unconnected trackers and other organizations' rows", async () => {
    const viewer = await acme.addMember("viewer");
    const input = { tracker: "github" as const, repositoryId, passage: PASSAGE };
    await expect(service.create(viewer, documentId, input)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      service.create(acme.ctx, documentId, { ...input, passage: "Not in the doc at all." }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    // Globex has connected nothing, and cannot see Acme's doc or repository.
    await expect(service.create(globex.ctx, documentId, input)).rejects.toMatchObject({ code: "not_found" });
    await expect(service.list(globex.ctx, documentId)).rejects.toMatchObject({ code: "not_found" });
    const globexProject = await createProjectsService(t.db).create(globex.ctx, { name: "G", description: "" });
    const globexDoc = await createDocumentsService(t.db).create(globex.ctx, globexProject.id, {
      title: "G",
      kind: "design_doc",
      content: PASSAGE,
    });
    await expect(service.create(globex.ctx, globexDoc.id, input)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      service.create(globex.ctx, globexDoc.id, { tracker: "linear", teamId: "team-1", passage: PASSAGE }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("Linear is not connected") });
    expect(github.issues("acme", "ingress")).toHaveLength(1);
  });
});
