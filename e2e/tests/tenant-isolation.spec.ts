import { randomUUID } from "node:crypto";
import { DOCUMENT_TITLE_MAX } from "@devflow/contracts";
import { expect, test as base, type APIRequestContext } from "@playwright/test";
import { ADA, Api, DEMO_CO, expectError, GRACE, organizationOf, signIn, unique, uniqueKey } from "../support/devflow";

/**
 * Through the REST API only, as two people at once: Grace, in an organization of her own that Ada
 * does not belong to, and Ada. Every answer passes through `Api`, which fails the test on any 5xx or
 * any body that leaks a stack trace.
 */
interface People {
  /** Grace in the organization she created for this test, with a project and a document in it. */
  grace: { api: Api; organizationId: string; projectId: string; documentId: string; documentTitle: string };
  /** Ada acting in Demo Co (her own organization). */
  ada: { api: Api; demoCoId: string };
  /** A request context with no session at all. */
  anonymous: Api;
}

const test = base.extend<People>({
  grace: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL });
    const { api } = await signIn(request, GRACE.email);
    const organization = await api.createOrganization(unique("Tenant"));
    expect(organization.role).toBe("owner");
    const inOrganization = api.in(organization.id);
    const project = await inOrganization.createProject({ name: unique("Secret project"), key: uniqueKey() });
    const documentTitle = unique("Secret plan");
    const document = await inOrganization.createDocument(project.id, {
      title: documentTitle,
      kind: "rfc",
      content: "Only Grace's organization may read this.",
    });
    await use({
      api: inOrganization,
      organizationId: organization.id,
      projectId: project.id,
      documentId: document.id,
      documentTitle,
    });
    await request.dispose();
  },
  ada: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL });
    const { api, session } = await signIn(request, ADA.email);
    const demoCoId = organizationOf(session, DEMO_CO.slug).id;
    await use({ api: api.in(demoCoId), demoCoId });
    await request.dispose();
  },
  anonymous: async ({ playwright, baseURL }, use) => {
    const request: APIRequestContext = await playwright.request.newContext({ baseURL });
    await use(new Api(request));
    await request.dispose();
  },
});

test("Ada cannot reach an organization she is not a member of", async ({ grace, ada }) => {
  const { organizationId, projectId, documentId } = grace;
  const asAdaThere = ada.api.in(organizationId);

  expectError(await asAdaThere.call("GET", "/projects"), 403, "forbidden");
  expectError(await asAdaThere.call("GET", `/projects/${projectId}`), 403, "forbidden");
  expectError(await asAdaThere.call("GET", `/projects/${projectId}/documents`), 403, "forbidden");
  expectError(await asAdaThere.call("GET", `/documents/${documentId}`), 403, "forbidden");
  expectError(
    await asAdaThere.call("PATCH", `/documents/${documentId}`, { data: { title: "pwned" } }),
    403,
    "forbidden",
  );
  expectError(await asAdaThere.call("DELETE", `/documents/${documentId}`), 403, "forbidden");
  expectError(
    await asAdaThere.call("POST", `/projects/${projectId}/documents`, { data: { title: "Planted" } }),
    403,
    "forbidden",
  );
  expectError(
    await ada.api.call("PUT", "/session/organization", { data: { organizationId }, organizationId: null }),
    403,
    "forbidden",
  );

  // In her own organization's context the records simply do not exist: 404, never "exists but hidden".
  for (const own of [ada.api, ada.api.in(null)]) {
    expectError(await own.call("GET", `/documents/${documentId}`), 404, "not_found");
    expectError(await own.call("GET", `/projects/${projectId}`), 404, "not_found");
    expectError(await own.call("GET", `/projects/${projectId}/documents`), 404, "not_found");
    expectError(await own.call("PATCH", `/documents/${documentId}`, { data: { title: "pwned" } }), 404, "not_found");
    expectError(await own.call("DELETE", `/documents/${documentId}`), 404, "not_found");
    expectError(
      await own.call("POST", `/projects/${projectId}/documents`, { data: { title: "Planted" } }),
      404,
      "not_found",
    );
  }
  // Nor can she pull the document into one of her projects.
  const platform = await ada.api.projectNamed("Platform");
  expectError(
    await ada.api.call("PATCH", `/documents/${documentId}`, { data: { projectId: platform.id } }),
    404,
    "not_found",
  );

  const session = await ada.api.session();
  expect(session.organizations.map((o) => o.id)).not.toContain(organizationId);
  expect((await ada.api.listProjects({ limit: 100 })).items.map((p) => p.id)).not.toContain(projectId);

  // And Grace's data is untouched by all of the above.
  expect(await grace.api.getDocument(documentId)).toMatchObject({
    title: grace.documentTitle,
    projectId,
    archivedAt: null,
  });
  expect((await grace.api.listDocuments(projectId)).items.map((d) => d.id)).toEqual([documentId]);
});

test("document lists page with limit and cursor, newest first, without gaps or repeats", async ({ grace }) => {
  const { api, projectId, documentId } = grace;
  const second = await api.createDocument(projectId, { title: unique("Second"), kind: "adr" });
  const third = await api.createDocument(projectId, { title: unique("Third"), kind: "other" });

  const all = await api.listDocuments(projectId, { limit: 100 });
  expect(all.nextCursor).toBeNull();
  expect(all.items.map((d) => d.id).sort()).toEqual([documentId, second.id, third.id].sort());
  const updatedAt = all.items.map((d) => d.updatedAt);
  expect(updatedAt).toEqual([...updatedAt].sort().reverse());

  const first = await api.listDocuments(projectId, { limit: 2 });
  expect(first.items).toHaveLength(2);
  expect(first.nextCursor).toEqual(expect.any(String));
  const next = await api.listDocuments(projectId, { limit: 2, cursor: first.nextCursor! });
  expect(next.items).toHaveLength(1);
  expect(next.nextCursor).toBeNull();
  expect([...first.items, ...next.items].map((d) => d.id)).toEqual(all.items.map((d) => d.id));
  // Summaries leave the text out.
  expect(all.items.every((d) => !("content" in d))).toBe(true);

  // Projects page the same way.
  const inTwo = await api.createProject({ name: unique("Another project"), key: uniqueKey() });
  const projects = await api.listProjects({ limit: 1 });
  expect(projects.items).toHaveLength(1);
  const rest = await api.listProjects({ limit: 1, cursor: projects.nextCursor! });
  expect(rest.items).toHaveLength(1);
  expect(rest.nextCursor).toBeNull();
  expect([...projects.items, ...rest.items].map((p) => p.id).sort()).toEqual([projectId, inTwo.id].sort());
});

test("invalid input is answered 400 validation_failed with the field at fault", async ({ grace }) => {
  const { api, projectId, documentId } = grace;
  const documents = `/projects/${projectId}/documents`;

  expectError(await api.call("GET", documents, { params: { cursor: "garbage" } }), 400, "validation_failed");
  expectError(await api.call("GET", "/projects", { params: { cursor: "garbage" } }), 400, "validation_failed");
  for (const limit of ["0", "101", "ten"]) {
    const envelope = expectError(await api.call("GET", documents, { params: { limit } }), 400, "validation_failed");
    expect(envelope.error.details).toMatchObject({ issues: [expect.objectContaining({ path: "limit" })] });
  }

  const json = { "content-type": "application/json" };
  const malformed = expectError(
    await api.call("POST", documents, { data: Buffer.from('{"title": "unterminated'), headers: json }),
    400,
    "validation_failed",
  );
  expect(malformed.error.message).toMatch(/not valid JSON/);
  expectError(
    await api.call("POST", documents, {
      data: "title=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    400,
    "validation_failed",
  );
  const wrongShape = expectError(
    await api.call("POST", documents, { data: { kind: "poem", content: 42 } }),
    400,
    "validation_failed",
  );
  expect(wrongShape.error.details).toMatchObject({
    issues: expect.arrayContaining([
      expect.objectContaining({ path: "title" }),
      expect.objectContaining({ path: "kind" }),
      expect.objectContaining({ path: "content" }),
    ]),
  });
  expectError(await api.call("POST", documents, { data: { title: "   " } }), 400, "validation_failed");

  const tooLong = expectError(
    await api.call("POST", documents, { data: { title: "x".repeat(DOCUMENT_TITLE_MAX + 1) } }),
    400,
    "validation_failed",
  );
  expect(tooLong.error.details).toMatchObject({
    issues: [expect.objectContaining({ path: "title", code: "too_big" })],
  });
  expectError(
    await api.call("PATCH", `/documents/${documentId}`, { data: { title: "x".repeat(DOCUMENT_TITLE_MAX + 1) } }),
    400,
    "validation_failed",
  );
  // Exactly at the limit is fine.
  const longest = await api.createDocument(projectId, { title: "x".repeat(DOCUMENT_TITLE_MAX) });
  expect(longest.title).toHaveLength(DOCUMENT_TITLE_MAX);

  expectError(await api.call("PATCH", `/documents/${documentId}`, { data: {} }), 400, "validation_failed");
  expectError(
    await api.call("PATCH", `/documents/${documentId}`, { data: { projectId: "not-a-uuid" } }),
    400,
    "validation_failed",
  );
  expectError(await api.call("POST", "/organizations", { data: { name: "" } }), 400, "validation_failed");
  expectError(
    await api.call("POST", "/projects", { data: { name: unique("Bad key"), key: "1-no" } }),
    400,
    "validation_failed",
  );
  expectError(
    await api.call("GET", "/projects", { organizationId: "not-an-organization-id" }),
    400,
    "validation_failed",
  );

  // None of it changed anything.
  expect((await api.getDocument(documentId)).title).toBe(grace.documentTitle);
});

test("unknown ids and routes are 404 not_found", async ({ grace, ada }) => {
  const missing = randomUUID();
  for (const api of [grace.api, ada.api]) {
    expectError(await api.call("GET", `/documents/${missing}`), 404, "not_found");
    expectError(await api.call("PATCH", `/documents/${missing}`, { data: { title: "x" } }), 404, "not_found");
    expectError(await api.call("DELETE", `/documents/${missing}`), 404, "not_found");
    expectError(await api.call("GET", "/documents/not-a-uuid"), 404, "not_found");
    expectError(await api.call("GET", `/projects/${missing}`), 404, "not_found");
    expectError(await api.call("GET", `/projects/${missing}/documents`), 404, "not_found");
    expectError(await api.call("POST", `/projects/${missing}/documents`, { data: { title: "x" } }), 404, "not_found");
    expectError(await api.call("GET", "/no-such-route"), 404, "not_found");
  }
  // Moving a document into a project that does not exist is a 404 too, and leaves it where it was.
  expectError(
    await grace.api.call("PATCH", `/documents/${grace.documentId}`, { data: { projectId: missing } }),
    404,
    "not_found",
  );
  expect((await grace.api.getDocument(grace.documentId)).projectId).toBe(grace.projectId);
});

test("without a session every API route answers 401 unauthenticated", async ({ anonymous, grace }) => {
  const { organizationId, projectId, documentId } = grace;
  const calls: [string, string, unknown?][] = [
    ["GET", "/session"],
    ["GET", "/organizations"],
    ["POST", "/organizations", { name: "Nope" }],
    ["GET", "/projects"],
    ["GET", `/projects/${projectId}/documents`],
    ["POST", `/projects/${projectId}/documents`, { title: "Nope" }],
    ["GET", `/documents/${documentId}`],
    ["DELETE", `/documents/${documentId}`],
    ["PUT", "/session/organization", { organizationId }],
  ];
  for (const [method, path, data] of calls) {
    expectError(await anonymous.in(organizationId).call(method, path, { data }), 401, "unauthenticated");
  }
  expectError(
    await anonymous.call("POST", "/session/dev-sign-in", { data: { email: "nobody@example.com" } }),
    401,
    "unauthenticated",
  );
  expect((await grace.api.getDocument(documentId)).title).toBe(grace.documentTitle);
});

// A cursor this API did not issue but that decodes (base64url JSON of two strings) is still a client
// error: it must be rejected before it reaches a query, never surface as a database error.
test("a well-formed but forged cursor is 400 validation_failed, not a server error", async ({ grace }) => {
  const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
  const { api, projectId } = grace;
  for (const cursor of [forged(["not-a-date", randomUUID()]), forged([new Date().toISOString(), "not-a-uuid"])]) {
    expectError(
      await api.call("GET", `/projects/${projectId}/documents`, { params: { cursor } }),
      400,
      "validation_failed",
    );
  }
  expectError(await api.call("GET", "/projects", { params: { cursor: forged(["a", "b"]) } }), 400, "validation_failed");
});
