/**
 * Helpers for the access-control specs: email links and invitations read from the stack's mailbox,
 * API tokens sent as bearer credentials from a context without cookies, and a SCIM client.
 */
import {
  CreatedApiTokenSchema,
  InvitationSchema,
  MyOrganizationSchema,
  SCIM_SCHEMA_ERROR,
  type ApiTokenScope,
  type CreatedApiTokenDto,
  type InvitationDto,
  type MemberRole,
  type MyOrganizationDto,
  type ScimUserResource,
  type SessionDto,
} from "@devflow/contracts";
import { expect, type APIRequest, type APIRequestContext, type Page } from "@playwright/test";
import { Api, expectNoStackTrace, signIn, unique } from "./devflow";
import { mailsTo } from "./mailbox";
import { WEB_URL } from "./ports";
import type { ReceivedMail } from "./test-services";

/** An address nobody has used yet, starting with `word`. */
export function uniqueEmail(word: string): string {
  return `${unique(word).replace(" ", "-").toLowerCase()}@example.com`;
}

// ---------------------------------------------------------------------------------------------------
// Mail
// ---------------------------------------------------------------------------------------------------

export const SIGN_IN_LINK = /https?:\/\/\S+\/api\/auth\/callback\/email\S+/;
export const INVITATION_LINK = /https?:\/\/\S+\/invite\/([0-9a-f]{32}\.[A-Za-z0-9_-]{43})/;

/**
 * The newest message to `to` that `matches`, waiting up to 10 s for it. Several messages may go to
 * one address (an invitation, then a sign-in link; invitations to a seeded user from parallel
 * tests), so the test names the one it expects.
 */
export async function waitForMail(
  to: string,
  matches: (mail: ReceivedMail) => boolean,
  description: string,
): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailsTo(to)).filter(matches).at(-1);
        return found !== undefined;
      },
      { timeout: 10_000, message: `${description} for ${to}` },
    )
    .toBe(true);
  return found!;
}

/** The invitation to `organizationName` that `to` received: the message, its link and the link's token. */
export async function invitationMail(
  to: string,
  organizationName: string,
): Promise<{ mail: ReceivedMail; link: string; token: string }> {
  const mail = await waitForMail(
    to,
    (m) => m.subject.includes(organizationName) && INVITATION_LINK.test(m.text),
    `the invitation to ${organizationName}`,
  );
  const match = INVITATION_LINK.exec(mail.text)!;
  return { mail, link: match[0], token: match[1]! };
}

/**
 * On a page showing the sign-in form: asks for an email link for `email`, then follows the link
 * from the mailbox like a person would. Where the page ends up is for the caller to check.
 */
export async function signInWithEmailLink(page: Page, email: string): Promise<void> {
  const field = page.getByRole("textbox", { name: "Email" });
  // Wait for hydration: only React state disables "Continue" for an empty field.
  await field.fill("x");
  await field.fill("");
  await expect(page.getByTestId("sign-in-submit")).toBeDisabled();
  await field.fill(email);
  await page.getByTestId("sign-in-submit").click();
  await page.getByTestId("sign-in-email-link").click();
  await expect(page.getByTestId("sign-in-sent")).toContainText(email);
  const mail = await waitForMail(to(email), (m) => SIGN_IN_LINK.test(m.text), "a sign-in link");
  await page.goto(SIGN_IN_LINK.exec(mail.text)![0]);
}

function to(email: string): string {
  return email.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------
// Invitations and tokens through REST
// ---------------------------------------------------------------------------------------------------

export function invite(owner: Api, email: string, role: MemberRole): Promise<InvitationDto> {
  return owner.ok("POST", "/invitations", (b) => InvitationSchema.parse(b), { data: { email, role } }, 201);
}

/** `owner` invites `person` with `role`, and `person` accepts from the emailed link's token. */
export async function inviteAndAccept(
  owner: Api,
  organizationName: string,
  person: { api: Api; email: string },
  role: MemberRole,
): Promise<MyOrganizationDto> {
  await invite(owner, person.email, role);
  const { token } = await invitationMail(person.email, organizationName);
  const joined = await person.api.ok("POST", "/invitations/accept", (b) => MyOrganizationSchema.parse(b), {
    data: { token },
    organizationId: null,
  });
  expect(joined.role).toBe(role);
  return joined;
}

export function createApiToken(
  api: Api,
  input: { name: string; scopes: ApiTokenScope[]; expiresInDays?: number | null },
): Promise<CreatedApiTokenDto> {
  return api.ok("POST", "/tokens", (b) => CreatedApiTokenSchema.parse(b), { data: input }, 201);
}

/**
 * A request context of its own (no cookies yet) for one person's or one client's calls. Each call
 * opens a new connection: the web server drops keep-alive connections idle for 5 s, and a context
 * left idle during a browser flow could otherwise send its next request on one just as it closes.
 */
export function newRequestContext(
  request: APIRequest,
  headers: Record<string, string> = {},
): Promise<APIRequestContext> {
  return request.newContext({ baseURL: WEB_URL, extraHTTPHeaders: { connection: "close", ...headers } });
}

/** `email` signed in through the development route, in a request context of their own. */
export async function signedIn(
  request: APIRequest,
  email: string,
): Promise<{ api: Api; session: SessionDto; context: APIRequestContext }> {
  const context = await newRequestContext(request);
  return { ...(await signIn(context, email)), context };
}

/** The REST client of whoever is signed in on `page`, on a request context of its own with the page's cookies. */
export async function restOf(request: APIRequest, page: Page): Promise<{ api: Api; context: APIRequestContext }> {
  const context = await request.newContext({
    baseURL: WEB_URL,
    extraHTTPHeaders: { connection: "close" },
    storageState: await page.context().storageState(),
  });
  return { api: new Api(context), context };
}

/**
 * A request context without cookies that sends `token` as its bearer credentials, and the REST
 * client over it (no x-organization-id: the token names its organization).
 */
export async function bearerApi(request: APIRequest, token: string): Promise<{ api: Api; context: APIRequestContext }> {
  const context = await newRequestContext(request, { authorization: `Bearer ${token}` });
  return { api: new Api(context), context };
}

// ---------------------------------------------------------------------------------------------------
// SCIM
// ---------------------------------------------------------------------------------------------------

export const SCIM_CONTENT_TYPE = "application/scim+json";

export interface ScimResult<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

/**
 * /scim/v2 as an identity provider calls it: bearer SCIM token, `application/scim+json` both ways.
 * Like `Api`, every answer is checked for 5xx and leaked internals.
 */
export class Scim {
  constructor(
    readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<ScimResult<T>> {
    const response = await this.request.fetch(`/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: SCIM_CONTENT_TYPE,
        ...(body !== undefined && { "content-type": SCIM_CONTENT_TYPE }),
      },
      ...(body !== undefined && { data: Buffer.from(JSON.stringify(body)) }),
    });
    const text = await response.text();
    const where = `SCIM ${method} ${path} → ${response.status()} ${text.slice(0, 300)}`;
    expectNoStackTrace(text);
    expect(response.status(), where).toBeLessThan(500);
    expect(response.headers()["x-request-id"], `${where}: x-request-id`).toBeTruthy();
    if (text !== "") expect(response.headers()["content-type"], where).toContain(SCIM_CONTENT_TYPE);
    return {
      status: response.status(),
      body: (text === "" ? undefined : JSON.parse(text)) as T,
      headers: response.headers(),
    };
  }

  async ok<T = ScimUserResource>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const result = await this.call<T>(method, path, body);
    expect(result.status, `SCIM ${method} ${path}: ${JSON.stringify(result.body)}`).toBe(status);
    return result.body;
  }

  /** Okta's way of (de)activating someone: a PATCH replacing `active`. */
  setActive(userId: string, active: boolean): Promise<ScimUserResource> {
    return this.ok("PATCH", `/Users/${userId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active } }],
    });
  }
}

/** Asserts a SCIM Error (RFC 7644 §3.12) with `status`. */
export function expectScimError(result: ScimResult, status: number): { detail: string; scimType?: string } {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const body = result.body as { schemas?: unknown; status?: unknown; detail?: unknown; scimType?: string };
  expect(body.schemas).toEqual([SCIM_SCHEMA_ERROR]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe("string");
  return body as { detail: string; scimType?: string };
}
