import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createResilientCallerRegistry } from "@devflow/integrations";
import { startFakeJira, startFakeLinear, type FakeJira, type FakeLinear } from "@devflow/integrations/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntegrationClients } from "./integration-clients";
import { createIntegrationsService } from "./integrations.service";

// Credentials an admin connects (sealed at rest) open clients for that organization only, against
// Jira's and Linear's documented wire formats on loopback. The routes require https hosts; the
// service is given the loopback site directly here.

const key = new Uint8Array(randomBytes(32));
const JIRA_TOKEN = `ATATT${randomBytes(16).toString("hex")}`;
const LINEAR_KEY = `lin_api_${randomBytes(16).toString("hex")}`;

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let jira: FakeJira;
let linear: FakeLinear;
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
  jira = await startFakeJira({ email: "bot@acme.test", apiToken: JIRA_TOKEN, projects: { PAY: ["Task", "Bug"] } });
  linear = await startFakeLinear({ apiKey: LINEAR_KEY, teams: { "team-1": "ENG" } });
});
afterAll(async () => {
  breakers.shutdown();
  await jira?.close();
  await linear?.close();
  await t?.drop();
});

describe("connected credentials", () => {
  it("files issues in Jira and Linear with the organization's own credentials, sealed at rest", async () => {
    const integrations = createIntegrationsService(t.db, { encryptionKey: key });
    await integrations.connectJira(acme.ctx, { host: jira.url, email: "bot@acme.test", apiToken: JIRA_TOKEN });
    await integrations.connectLinear(acme.ctx, { apiKey: LINEAR_KEY });
    const clients = createIntegrationClients(t.db, {
      encryptionKey: async () => key,
      breakers,
      linearApiUrl: linear.apiUrl,
    });

    const jiraClient = await clients.jira(acme.organization.id);
    const filed = await jiraClient!.createIssue({
      projectKey: "PAY",
      summary: "Refunds double-settle",
      description: "Seen in the settlement design doc.",
      issueType: "Bug",
    });
    expect(filed.key).toMatch(/^PAY-\d+$/);
    expect(jira.issues.at(-1)!.fields).toMatchObject({ summary: "Refunds double-settle" });

    const linearClient = await clients.linear(acme.organization.id);
    const issue = await linearClient!.createIssue({ teamId: "team-1", title: "Refund retries", description: "From the doc" });
    expect(issue.identifier).toMatch(/^ENG-\d+$/);

    // Globex connected nothing: no client, and never Acme's.
    expect(await clients.jira(globex.organization.id)).toBeNull();
    expect(await clients.linear(globex.organization.id)).toBeNull();
    expect(await clients.github(acme.organization.id)).toBeNull();

    const rows = await t.db.withTenant(acme.ctx, (tx) => tx.integration.findMany());
    const stored = JSON.stringify(rows.map((r) => ({ config: r.config, secret: r.encryptedSecret })));
    expect(stored).not.toContain(JIRA_TOKEN);
    expect(stored).not.toContain(LINEAR_KEY);
    // Webhook ingress reads encrypted_secret as a signing secret: API credentials never go there.
    expect(rows.every((r) => r.encryptedSecret === null)).toBe(true);
  });

  it("lets only admins connect or disconnect, and a disconnected credential opens nothing", async () => {
    const integrations = createIntegrationsService(t.db, { encryptionKey: key });
    const member = await globex.addMember("member");
    await expect(integrations.connectLinear(member, { apiKey: LINEAR_KEY })).rejects.toMatchObject({ code: "forbidden" });
    const { integrationId } = await integrations.connectLinear(globex.ctx, { apiKey: LINEAR_KEY });
    const clients = createIntegrationClients(t.db, { encryptionKey: async () => key, breakers, linearApiUrl: linear.apiUrl });
    expect(await clients.linear(globex.organization.id)).not.toBeNull();

    await expect(integrations.disconnect(acme.ctx, integrationId)).rejects.toMatchObject({ code: "not_found" });
    await expect(integrations.disconnect(member, integrationId)).rejects.toMatchObject({ code: "forbidden" });
    await integrations.disconnect(globex.ctx, integrationId);
    expect(await clients.linear(globex.organization.id)).toBeNull();
    await expect(integrations.disconnect(globex.ctx, integrationId)).rejects.toMatchObject({ code: "not_found" });
  });
});
