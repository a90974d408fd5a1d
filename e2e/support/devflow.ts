/**
 * Shared helpers for the e2e specs: the seeded demo data, a REST client that checks every answer
 * against the contracts (and for leaked stack traces), and sign-in through the development route.
 */
import { randomUUID } from "node:crypto";
import {
  DocumentSchema,
  DocumentSummarySchema,
  ErrorEnvelopeSchema,
  MyOrganizationSchema,
  pageOf,
  ProjectSchema,
  SessionSchema,
  type DocumentDto,
  type DocumentKind,
  type DocumentSummaryDto,
  type ErrorCode,
  type ErrorEnvelope,
  type MyOrganizationDto,
  type Page,
  type ProjectDto,
  type SessionDto,
} from "@devflow/contracts";
import { expect, type APIRequestContext, type Locator, type Page as BrowserPage } from "@playwright/test";

/** prisma/seed/demo.ts */
export const ADA = { email: "ada@demo.devflow.dev", name: "Ada Lovelace" } as const;
export const GRACE = { email: "grace@demo.devflow.dev", name: "Grace Hopper" } as const;
export const DEMO_CO = { slug: "demo-co", name: "Demo Co" } as const;
export const GUILD = { slug: "open-source-guild", name: "Open Source Guild" } as const;
export const PLATFORM_DOCUMENTS = [
  { title: "DevFlow.ai design document", kind: "Design doc" },
  { title: "System architecture overview", kind: "Design doc" },
  { title: "RFC: Workflow orchestrator architecture", kind: "RFC" },
  { title: "ADR: CodeFlow engine for pull-request analysis", kind: "ADR" },
  { title: "Developer productivity platform requirements", kind: "Requirements" },
] as const;
export const COMPILERS_ADR = "ADR-001: Keep the parser hand-written";

/**
 * A name no other test (or earlier run against a reused stack) uses. Starts with the given word so
 * the data stays recognisable; organizations sort by name and sign-in lands in the first one, so
 * callers creating organizations for Ada must pick a word that sorts after "Demo Co".
 */
export function unique(prefix: string): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** A project key (2–10 letters/digits, starting with a letter) that is unique in practice. */
export function uniqueKey(): string {
  return `E${randomUUID().replace(/-/g, "").slice(0, 7).toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------------

/** Anything that looks like a server-side stack trace or internals leaking into a response body. */
const STACK_TRACE = [
  // "\n    at fn (file:1:2)", raw or JSON-escaped
  /(\n|\\n)\s*at\s+\S[^\n]*?(:\d+:\d+|\(native\)|<anonymous>)/,
  /"stack"\s*:/,
  /node_modules\//,
  /\.[cm]?[jt]sx?:\d+:\d+/,
  /Prisma\w*Error/,
];

export function expectNoStackTrace(body: string): void {
  for (const pattern of STACK_TRACE) expect(body, `response body leaks internals (${pattern})`).not.toMatch(pattern);
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface CallOptions {
  /** An object is sent as JSON; a Buffer is sent verbatim (set content-type yourself). */
  data?: unknown;
  headers?: Record<string, string>;
  params?: Record<string, string | number | boolean>;
  /** Overrides the client's organization for this call; `null` sends no x-organization-id. */
  organizationId?: string | null;
}

/**
 * The REST API as one signed-in user sees it. Every answer is checked for stack traces and 5xx
 * (no input a client can send should crash a route), so specs only assert what they care about.
 */
export class Api {
  constructor(
    readonly request: APIRequestContext,
    /** Sent as `x-organization-id`; without it the session's current organization applies. */
    readonly organizationId: string | null = null,
  ) {}

  /** The same user acting in another organization. */
  in(organizationId: string | null): Api {
    return new Api(this.request, organizationId);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResult> {
    const organizationId = options.organizationId === undefined ? this.organizationId : options.organizationId;
    const response = await this.request.fetch(`/api/v1${path}`, {
      method,
      headers: { ...(organizationId && { "x-organization-id": organizationId }), ...options.headers },
      ...(options.params && { params: options.params }),
      ...(options.data !== undefined && { data: options.data }),
    });
    const text = await response.text();
    const where = `${method} ${path} → ${response.status()} ${text.slice(0, 300)}`;
    expectNoStackTrace(text);
    expect(response.status(), where).toBeLessThan(500);
    expect(response.headers()["x-request-id"], `${where}: x-request-id`).toBeTruthy();
    let body: unknown = undefined;
    if (text !== "") {
      expect(response.headers()["content-type"], where).toContain("application/json");
      body = JSON.parse(text);
    }
    return { status: response.status(), body, headers: response.headers() };
  }

  async ok<T>(method: string, path: string, parse: (body: unknown) => T, options?: CallOptions, status = 200) {
    const result = await this.call(method, path, options);
    expect(result.status, `${method} ${path}: ${JSON.stringify(result.body)}`).toBe(status);
    return parse(result.body);
  }

  session(): Promise<SessionDto> {
    return this.ok("GET", "/session", (b) => SessionSchema.parse(b));
  }

  createOrganization(name: string): Promise<MyOrganizationDto> {
    return this.ok("POST", "/organizations", (b) => MyOrganizationSchema.parse(b), { data: { name } }, 201);
  }

  listProjects(params: Record<string, string | number | boolean> = {}): Promise<Page<ProjectDto>> {
    return this.ok("GET", "/projects", (b) => pageOf(ProjectSchema).parse(b), { params });
  }

  async projectNamed(name: string): Promise<ProjectDto> {
    const project = (await this.listProjects({ limit: 100 })).items.find((p) => p.name === name);
    expect(project, `project "${name}"`).toBeDefined();
    return project!;
  }

  createProject(input: { name: string; key?: string; description?: string }): Promise<ProjectDto> {
    return this.ok("POST", "/projects", (b) => ProjectSchema.parse(b), { data: input }, 201);
  }

  listDocuments(
    projectId: string,
    params: Record<string, string | number | boolean> = {},
  ): Promise<Page<DocumentSummaryDto>> {
    return this.ok("GET", `/projects/${projectId}/documents`, (b) => pageOf(DocumentSummarySchema).parse(b), {
      params,
    });
  }

  createDocument(
    projectId: string,
    input: { title: string; kind?: DocumentKind; content?: string },
  ): Promise<DocumentDto> {
    return this.ok("POST", `/projects/${projectId}/documents`, (b) => DocumentSchema.parse(b), { data: input }, 201);
  }

  getDocument(documentId: string): Promise<DocumentDto> {
    return this.ok("GET", `/documents/${documentId}`, (b) => DocumentSchema.parse(b));
  }
}

/** Asserts the `{ error: { code, message } }` envelope with the status that goes with the code. */
export function expectError(result: ApiResult, status: number, code: ErrorCode): ErrorEnvelope {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const envelope = ErrorEnvelopeSchema.parse(result.body);
  expect(envelope.error.code).toBe(code);
  expect(envelope.error.message.length).toBeGreaterThan(0);
  return envelope;
}

/** Signs the request context (and so the page sharing it) in through the development route. */
export async function signIn(request: APIRequestContext, email: string): Promise<{ session: SessionDto; api: Api }> {
  const api = new Api(request);
  const session = await api.ok("POST", "/session/dev-sign-in", (b) => SessionSchema.parse(b), { data: { email } });
  expect(session.user.email).toBe(email);
  return { session, api };
}

export function organizationOf(session: SessionDto, slug: string): MyOrganizationDto {
  const organization = session.organizations.find((o) => o.slug === slug);
  expect(organization, `${session.user.email} belongs to ${slug}`).toBeDefined();
  return organization!;
}

// ---------------------------------------------------------------------------------------------------
// UI
// ---------------------------------------------------------------------------------------------------

/** A project card on an organization's home page, by its exact name. */
export function projectCard(page: BrowserPage, name: string): Locator {
  return page.getByTestId("project-card").filter({ has: page.getByText(name, { exact: true }) });
}

/** A row of the documents list, by its exact title. */
export function documentRow(page: BrowserPage, title: string): Locator {
  return page.getByTestId("document-row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

/** Opens a project from the organization's home page and waits for its documents to load. */
export async function openProject(page: BrowserPage, orgSlug: string, name: string): Promise<void> {
  await page.goto(`/${orgSlug}`);
  await projectCard(page, name).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByTestId("document-list").or(page.getByTestId("documents-empty"))).toBeVisible();
}

/** Opens a document row's action menu and picks an item by its test id. */
export async function documentAction(row: Locator, action: string): Promise<void> {
  await row.getByTestId("document-actions").click();
  await row.getByTestId(action).click();
}

/**
 * Opens the sign-in page and waits until React has hydrated it (clearing the email disables
 * "Continue" only through React state), so a click starts the real flow rather than a plain form post.
 */
export async function openSignIn(page: BrowserPage, path = "/sign-in"): Promise<{ email: Locator; submit: Locator }> {
  await page.goto(path);
  const email = page.getByRole("textbox", { name: "Email" });
  const submit = page.getByTestId("sign-in-submit");
  await email.fill("x");
  await email.fill("");
  await expect(submit).toBeDisabled();
  return { email, submit };
}

/** Types an address on the sign-in page and continues (home-realm discovery decides what follows). */
export async function continueWithEmail(page: BrowserPage, address: string, path = "/sign-in"): Promise<void> {
  const { email, submit } = await openSignIn(page, path);
  await email.fill(address);
  await submit.click();
}
