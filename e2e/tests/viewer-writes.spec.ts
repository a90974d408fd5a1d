import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  ApiTokenSchema,
  AuditLogEntrySchema,
  DocumentSchema,
  FileSchema,
  IntegrationListSchema,
  InvitationSchema,
  MemberSchema,
  pageOf,
  ProjectSchema,
  ScimTokenListSchema,
  SessionSchema,
  SsoConnectionSchema,
  SsoDomainSchema,
  SsoEnforcementSchema,
  type ErrorCode,
} from "@devflow/contracts";
import { expect, test as base, type APIRequest } from "@playwright/test";
import { bearerApi, createApiToken, invite, inviteAndAccept, signedIn, uniqueEmail } from "../support/access";
import { ADA, Api, expectError, GRACE, unique, uniqueKey, type ApiResult } from "../support/devflow";

/**
 * A viewer may read an organization and manage their own read-only API tokens, nothing else. Grace
 * owns a fresh organization with one of everything a write can touch; Ada joins it as a viewer
 * through an invitation. Every write endpoint of /api/v1 is then called as Ada, with her session
 * and with her read token, and must answer 403 without changing anything.
 */

/** What each test works on, made by Grace (the owner) before Ada joins as a viewer. */
interface Workspace {
  organizationId: string;
  organizationName: string;
  /** Grace, acting in the organization. */
  owner: Api;
  graceId: string;
  /** Ada's session, acting in the organization. */
  viewer: Api;
  adaId: string;
  projectId: string;
  projectName: string;
  documentId: string;
  documentTitle: string;
  invitationId: string;
  connectionId: string;
  connectionName: string;
  domainId: string;
  scimTokenId: string;
  templateId: string;
  revisionId: string;
  /** A file Grace uploaded into the project. */
  fileId: string;
  /** One of Grace's own API tokens, and the token itself to show it still works afterwards. */
  graceTokenId: string;
  graceToken: string;
}

type Expected = [status: number, code: ErrorCode];
const FORBIDDEN: Expected = [403, "forbidden"];

interface Write {
  path: (w: Workspace) => string;
  /** A valid body: an invalid one would be refused with 400 before permissions are even asked. */
  data?: (w: Workspace) => unknown;
  /** Headers the route needs to get as far as asking permission (an upload's content type). */
  headers?: Record<string, string>;
  /** When the answer is not 403 forbidden, and why. */
  session?: Expected;
  token?: Expected;
}

/**
 * Every POST, PUT, PATCH and DELETE under apps/web/app/api/v1 that acts inside an organization,
 * keyed by method and route folder. A new route must be added here (or to NOT_IN_AN_ORGANIZATION):
 * the last test fails until it is.
 */
const WRITES: Record<string, Write> = {
  "POST /projects": { path: () => "/projects", data: () => ({ name: unique("Planted project"), key: uniqueKey() }) },
  "PATCH /projects/[projectId]": { path: (w) => `/projects/${w.projectId}`, data: () => ({ name: "Renamed" }) },
  "DELETE /projects/[projectId]": { path: (w) => `/projects/${w.projectId}` },
  "PUT /projects/[projectId]/access": {
    path: (w) => `/projects/${w.projectId}/access`,
    data: (w) => ({ visibility: "private", userIds: [w.adaId] }),
  },
  "POST /projects/[projectId]/documents": {
    path: (w) => `/projects/${w.projectId}/documents`,
    data: () => ({ title: "Planted document" }),
  },
  "PATCH /documents/[documentId]": { path: (w) => `/documents/${w.documentId}`, data: () => ({ title: "Renamed" }) },
  "DELETE /documents/[documentId]": { path: (w) => `/documents/${w.documentId}` },
  "PATCH /organization": { path: () => "/organization", data: () => ({ name: "Renamed by a viewer" }) },
  "POST /organization/transfer-ownership": {
    path: () => "/organization/transfer-ownership",
    data: (w) => ({ userId: w.adaId }),
  },
  "PATCH /members/[userId]": { path: (w) => `/members/${w.adaId}`, data: () => ({ role: "admin" }) },
  "DELETE /members/[userId]": { path: (w) => `/members/${w.graceId}` },
  "POST /invitations": {
    path: () => "/invitations",
    data: () => ({ email: uniqueEmail("planted"), role: "viewer" }),
  },
  "DELETE /invitations/[invitationId]": { path: (w) => `/invitations/${w.invitationId}` },
  "POST /sso/connections": {
    path: () => "/sso/connections",
    data: () => ({
      protocol: "oidc",
      name: "Planted IdP",
      config: { issuer: "http://localhost:9/planted", clientId: "planted", clientSecret: "planted" },
    }),
  },
  "PATCH /sso/connections/[connectionId]": {
    path: (w) => `/sso/connections/${w.connectionId}`,
    data: () => ({ protocol: "oidc", name: "Renamed", enabled: false }),
  },
  "DELETE /sso/connections/[connectionId]": { path: (w) => `/sso/connections/${w.connectionId}` },
  "POST /sso/domains": { path: () => "/sso/domains", data: () => ({ domain: `${uniqueKey().toLowerCase()}.test` }) },
  "DELETE /sso/domains/[domainId]": { path: (w) => `/sso/domains/${w.domainId}` },
  "POST /sso/domains/[domainId]/verify": { path: (w) => `/sso/domains/${w.domainId}/verify` },
  "PUT /sso/enforcement": { path: () => "/sso/enforcement", data: () => ({ enforced: true }) },
  "POST /documents/[documentId]/revisions": {
    path: (w) => `/documents/${w.documentId}/revisions`,
    data: () => ({ name: "Named by a viewer" }),
  },
  "POST /documents/[documentId]/issues": {
    path: (w) => `/documents/${w.documentId}/issues`,
    data: () => ({ tracker: "linear", teamId: "team-1", passage: "Filed by a viewer" }),
  },
  "DELETE /documents/[documentId]/revisions/[revisionId]": {
    path: (w) => `/documents/${w.documentId}/revisions/${w.revisionId}`,
  },
  "POST /templates": { path: () => "/templates", data: () => ({ name: unique("Planted template") }) },
  "DELETE /templates/[templateId]": { path: (w) => `/templates/${w.templateId}` },
  "POST /scim-tokens": { path: () => "/scim-tokens", data: () => ({ name: "Planted SCIM token" }) },
  "DELETE /scim-tokens/[tokenId]": { path: (w) => `/scim-tokens/${w.scimTokenId}` },
  // A viewer may hold tokens, but read-only ones: asking for write (or admin) is refused.
  "POST /tokens": { path: () => "/tokens", data: () => ({ name: "Planted write token", scopes: ["read", "write"] }) },
  // Someone else's token is not even found for a non-admin session, so ids cannot be probed; a
  // token may never manage tokens at all.
  "DELETE /tokens/[tokenId]": { path: (w) => `/tokens/${w.graceTokenId}`, session: [404, "not_found"] },
  "POST /integrations/github": { path: () => "/integrations/github" },
  "POST /integrations/slack": {
    path: () => "/integrations/slack",
    data: () => ({ signingSecret: "8f742231b10e8888abcd99aaabbb85a5" }),
  },
  "POST /integrations/github-token": {
    path: () => "/integrations/github-token",
    data: () => ({ token: `ghp_${"a".repeat(36)}` }),
  },
  "POST /integrations/jira": {
    path: () => "/integrations/jira",
    data: () => ({ host: "https://acme.atlassian.net", email: "bot@acme.test", apiToken: "a".repeat(24) }),
  },
  "POST /integrations/linear": {
    path: () => "/integrations/linear",
    data: () => ({ apiKey: `lin_api_${"a".repeat(32)}` }),
  },
  "DELETE /integrations/[integrationId]": { path: () => "/integrations/00000000-0000-4000-8000-000000000000" },
  "POST /projects/[projectId]/files": {
    path: (w) => `/projects/${w.projectId}/files?name=planted.txt`,
    data: () => "Planted by a viewer",
    headers: { "content-type": "application/octet-stream" },
  },
  "DELETE /files/[fileId]": { path: (w) => `/files/${w.fileId}` },
  "POST /failed-jobs/retry": {
    path: () => "/failed-jobs/retry",
    data: () => ({ handler: "webhook-deliveries", eventId: "00000000-0000-4000-8000-000000000000" }),
  },
  // Admins only; refused before the run is looked up, so an unknown id still answers 403.
  "POST /workflow-runs/[runId]/retry": { path: () => "/workflow-runs/00000000-0000-4000-8000-000000000000/retry" },
  // Admins only; refused before the incident is looked up, so an unknown id still answers 403.
  "PUT /incidents/[incidentId]/attribution": {
    path: () => "/incidents/00000000-0000-4000-8000-000000000000/attribution",
    data: () => ({ deploymentId: null }),
  },
  // Admins only; refused before the repository is looked up, so an unknown id still answers 403.
  "PUT /repositories/[repositoryId]/project": {
    path: () => "/repositories/00000000-0000-4000-8000-000000000000/project",
    data: (w) => ({ projectId: w.projectId }),
  },
  // Admins only; refused before the repository is looked up, so an unknown id still answers 403.
  "PUT /repositories/[repositoryId]/quality-gates": {
    path: () => "/repositories/00000000-0000-4000-8000-000000000000/quality-gates",
    data: () => ({ maxRisk: 10 }),
  },
};

/** Writes under /api/v1 that do not act inside an organization, and why they are not in WRITES. */
const NOT_IN_AN_ORGANIZATION: Record<string, string> = {
  "POST /organizations": "creates a new organization owned by the caller",
  "POST /invitations/accept":
    "joins an organization; the invitation decides, not the caller's role (invitations.spec.ts)",
  "PUT /session/organization": "switches the session's current organization among the caller's own",
  "DELETE /session": "signs out",
  "POST /session/dev-sign-in": "development sign-in",
  "POST /session/discover": "home-realm discovery before sign-in",
  "POST /service-tokens": "mints a short-lived token carrying the caller's own role, which the other apps enforce",
  "POST /triage": "reads only: suggests labels and finds existing issues for a passage, storing nothing",
  "POST /notifications/read":
    "marks the caller's own notifications read, which a viewer may (notifications.service.int.test.ts refuses read tokens)",
  "PUT /notifications/preferences":
    "the caller's own notification preferences, which a viewer may set (read tokens are refused, as above)",
};

const test = base.extend<{ workspace: Workspace }>({
  workspace: async ({ playwright }, use) => {
    const grace = await signedIn(playwright.request, GRACE.email);
    const ada = await signedIn(playwright.request, ADA.email);
    const { api: graceApi, session: graceSession } = grace;
    const { api: adaApi, session: adaSession } = ada;
    const organization = await graceApi.createOrganization(unique("Viewers"));
    const owner = graceApi.in(organization.id);

    const projectName = unique("Roadmap");
    const project = await owner.createProject({ name: projectName, key: uniqueKey() });
    const documentTitle = unique("Plan");
    const document = await owner.createDocument(project.id, { title: documentTitle, kind: "rfc", content: "Keep." });
    const invitation = await invite(owner, uniqueEmail("pending"), "member");
    const connectionName = unique("Workspace IdP");
    const connection = await owner.ok(
      "POST",
      "/sso/connections",
      (b) => SsoConnectionSchema.parse(b),
      {
        data: {
          protocol: "oidc",
          name: connectionName,
          config: { issuer: "http://localhost:9/idp", clientId: "workspace", clientSecret: "workspace-secret" },
        },
      },
      201,
    );
    const domain = await owner.ok(
      "POST",
      "/sso/domains",
      (b) => SsoDomainSchema.parse(b),
      {
        data: { domain: `${uniqueKey().toLowerCase()}.test` },
      },
      201,
    );
    const scimToken = await owner.ok(
      "POST",
      "/scim-tokens",
      (b) => ({ id: (b as { id: string }).id }),
      {
        data: { name: "Workspace IdP" },
      },
      201,
    );
    const graceToken = await createApiToken(owner, { name: "Grace's script", scopes: ["read"] });
    const revision = await owner.ok(
      "POST",
      `/documents/${document.id}/revisions`,
      (b) => ({ id: (b as { id: string }).id }),
      { data: { name: "First draft" } },
      201,
    );
    const file = await owner.ok(
      "POST",
      `/projects/${project.id}/files`,
      (b) => FileSchema.parse(b),
      {
        params: { name: "notes.md" },
        data: "# Notes\n\nKept.",
        headers: { "content-type": "application/octet-stream" },
      },
      201,
    );
    const template = await owner.ok(
      "POST",
      "/templates",
      (b) => ({ id: (b as { id: string }).id }),
      { data: { name: unique("Workspace template"), kind: "adr", content: "# {{title}}" } },
      201,
    );

    await inviteAndAccept(owner, organization.name, { api: adaApi, email: ADA.email }, "viewer");

    await use({
      organizationId: organization.id,
      organizationName: organization.name,
      owner,
      graceId: graceSession.user.id,
      viewer: adaApi.in(organization.id),
      adaId: adaSession.user.id,
      projectId: project.id,
      projectName,
      documentId: document.id,
      documentTitle,
      invitationId: invitation.id,
      connectionId: connection.id,
      connectionName,
      domainId: domain.id,
      scimTokenId: scimToken.id,
      templateId: template.id,
      revisionId: revision.id,
      fileId: file.id,
      graceTokenId: graceToken.id,
      graceToken: graceToken.token,
    });
    await grace.context.dispose();
    await ada.context.dispose();
  },
});

async function callEach(api: Api, w: Workspace, credentials: "session" | "token"): Promise<void> {
  for (const [route, write] of Object.entries(WRITES)) {
    const method = route.split(" ")[0]!;
    const result: ApiResult = await api.call(method, write.path(w), {
      ...(write.data && { data: write.data(w) }),
      ...(write.headers && { headers: write.headers }),
    });
    const [status, code] = write[credentials] ?? FORBIDDEN;
    await test.step(`${route} as the viewer's ${credentials} → ${status} ${code}`, () => {
      expectError(result, status, code);
    });
  }
}

/** Everything the writes aimed at is as Grace left it. */
async function expectUnchanged(w: Workspace, request: APIRequest) {
  const { owner } = w;
  const project = await owner.ok("GET", `/projects/${w.projectId}`, (b) => ProjectSchema.parse(b));
  expect(project).toMatchObject({
    name: w.projectName,
    visibility: "organization",
    archivedAt: null,
    documentCount: 1,
  });
  expect((await owner.listProjects({ limit: 100 })).items.map((p) => p.id)).toEqual([w.projectId]);
  const document = await owner.ok("GET", `/documents/${w.documentId}`, (b) => DocumentSchema.parse(b));
  expect(document).toMatchObject({ title: w.documentTitle, archivedAt: null });

  const session = await owner.ok("GET", "/session", (b) => SessionSchema.parse(b));
  expect(session.organizations.find((o) => o.id === w.organizationId)).toMatchObject({
    name: w.organizationName,
    role: "owner",
  });
  const members = await owner.ok("GET", "/members", (b) => pageOf(MemberSchema).parse(b), { params: { limit: 100 } });
  expect(members.items.map((m) => [m.user.email, m.role]).sort()).toEqual(
    [
      [ADA.email, "viewer"],
      [GRACE.email, "owner"],
    ].sort(),
  );
  const invitations = await owner.ok("GET", "/invitations", (b) => pageOf(InvitationSchema).parse(b));
  expect(invitations.items.map((i) => i.id)).toEqual([w.invitationId]);

  const connections = await owner.ok("GET", "/sso/connections", (b) => SsoConnectionSchema.array().parse(b));
  expect(connections.map((c) => [c.id, c.name, c.enabled])).toEqual([[w.connectionId, w.connectionName, true]]);
  const domains = await owner.ok("GET", "/sso/domains", (b) => SsoDomainSchema.array().parse(b));
  expect(domains.map((d) => [d.id, d.status])).toEqual([[w.domainId, "pending"]]);
  expect(await owner.ok("GET", "/sso/enforcement", (b) => SsoEnforcementSchema.parse(b))).toEqual({ enforced: false });
  const scimTokens = await owner.ok("GET", "/scim-tokens", (b) => ScimTokenListSchema.parse(b));
  expect(scimTokens.items.map((t) => t.id)).toEqual([w.scimTokenId]);
  const integrations = await owner.ok("GET", "/integrations", (b) => IntegrationListSchema.parse(b));
  expect(integrations.items).toEqual([]);
  const files = await owner.ok("GET", `/projects/${w.projectId}/files`, (b) => pageOf(FileSchema).parse(b));
  expect(files.items.map((f) => f.id)).toEqual([w.fileId]);

  // Grace's token still works; Ada holds no token that can write.
  const { api: graceBearer, context } = await bearerApi(request, w.graceToken);
  expect((await graceBearer.listProjects()).items.map((p) => p.id)).toEqual([w.projectId]);
  await context.dispose();
  const adaTokens = await w.viewer.ok("GET", "/tokens", (b) => pageOf(ApiTokenSchema).parse(b));
  expect(adaTokens.items.filter((t) => t.scopes.includes("write") || t.scopes.includes("admin"))).toEqual([]);
}

test("a viewer's session gets 403 forbidden on every write endpoint, and nothing changes", async ({
  workspace,
  playwright,
}) => {
  // Reading is fine.
  expect((await workspace.viewer.listProjects()).items.map((p) => p.id)).toEqual([workspace.projectId]);
  expect((await workspace.viewer.getDocument(workspace.documentId)).title).toBe(workspace.documentTitle);

  await callEach(workspace.viewer, workspace, "session");
  await expectUnchanged(workspace, playwright.request);

  // Nothing Ada tried left a trace but her joining.
  const byAda = await workspace.owner.ok("GET", "/audit-log", (b) => pageOf(AuditLogEntrySchema).parse(b), {
    params: { actorUserId: workspace.adaId, limit: 100 },
  });
  expect(byAda.items.map((e) => e.action).sort()).toEqual(["invitation.accepted", "member.added"]);
});

test("a viewer may hold read tokens only, and a read token is refused on every write too", async ({
  workspace,
  playwright,
}) => {
  const { viewer } = workspace;
  for (const scopes of [["read", "write"], ["write"], ["read", "write", "admin"]]) {
    const refused = expectError(
      await viewer.call("POST", "/tokens", { data: { name: "Too much", scopes } }),
      403,
      "forbidden",
    );
    expect(refused.error.details).toMatchObject({ allowed: ["read"] });
  }
  const created = await createApiToken(viewer, { name: unique("Viewer's reader"), scopes: ["read"] });
  expect(created.scopes).toEqual(["read"]);

  const { api: bearer, context } = await bearerApi(playwright.request, created.token);
  expect((await bearer.listProjects()).items.map((p) => p.id)).toEqual([workspace.projectId]);
  await callEach(bearer, workspace, "token");
  await expectUnchanged(workspace, playwright.request);

  // Her own token is hers to revoke, from her session.
  expect((await viewer.call("DELETE", `/tokens/${created.id}`)).status).toBe(204);
  expectError(await bearer.call("GET", "/projects"), 401, "unauthenticated");
  await context.dispose();
});

test("the endpoint table lists every write route under /api/v1", async () => {
  const root = path.resolve(import.meta.dirname, "..", "..", "apps", "web", "app", "api", "v1");
  const found: string[] = [];
  for (const file of await readdir(root, { recursive: true })) {
    if (path.basename(file) !== "route.ts") continue;
    const route = `/${path.dirname(file).split(path.sep).join("/")}`.replace(/\/\.$/, "");
    const source = await readFile(path.join(root, file), "utf8");
    for (const [, method] of source.matchAll(
      /export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE)\b/g,
    )) {
      found.push(`${method} ${route}`);
    }
  }
  expect(found.length).toBeGreaterThan(20);
  const listed = [...Object.keys(WRITES), ...Object.keys(NOT_IN_AN_ORGANIZATION)];
  expect(
    found.filter((route) => !listed.includes(route)),
    "write routes missing from WRITES (or NOT_IN_AN_ORGANIZATION)",
  ).toEqual([]);
  expect(
    listed.filter((route) => !found.includes(route)),
    "listed routes that no longer exist",
  ).toEqual([]);
});
