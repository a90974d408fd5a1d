import { InvitationSchema, MemberSchema, pageOf } from "@devflow/contracts";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { invitationMail, invite, restOf, signedIn, signInWithEmailLink, uniqueEmail } from "../support/access";
import { expireInvitation } from "../support/db";
import { ADA, Api, expectError, GRACE, organizationOf, signIn, unique } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Inviting people by email. Grace owns a fresh organization per test ("Workshop …", which sorts after
 * her seeded ones so her sign-in still lands where other specs expect); the invitation travels
 * through the stack's SMTP server, and the invitee follows its link in a browser of their own.
 */

async function pendingInvitations(owner: Api) {
  return (await owner.ok("GET", "/invitations", (b) => pageOf(InvitationSchema).parse(b))).items;
}

/** A browser of the invitee's own (no cookies shared with the inviter's page). */
async function inviteeBrowser(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: WEB_URL });
  return context.newPage();
}

/** From the invitation page, signed out: "Sign in to accept", then the email link, back to the invitation. */
async function signInFromInvitation(page: Page, link: string, email: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByTestId("invitation-signed-out")).toBeVisible();
  await expect(page.getByTestId("invitation")).toHaveCount(0);
  await page.getByTestId("invitation-sign-in").click();
  await expect(page).toHaveURL(/\/sign-in\?/);
  await signInWithEmailLink(page, email);
  await expect(page).toHaveURL(new URL(link).pathname);
}

test("an owner invites someone from the Members page; they sign in from the email, accept, and join with the invited role", async ({
  page,
  browser,
  playwright,
}) => {
  await signIn(page.request, GRACE.email);
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Workshop"));
  const grace = api.in(organization.id);
  const email = uniqueEmail("invitee");

  await page.goto(`/${organization.slug}/settings/members`);
  await expect(page.getByTestId("members-settings")).toBeVisible();
  await expect(page.getByTestId("invitations-empty")).toBeVisible();
  await page.getByTestId("invite-member").click();
  const dialog = page.getByTestId("invite-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("invite-email").fill(email);
  await dialog.getByTestId("invite-role").selectOption("admin");
  await dialog.getByTestId("invite-submit").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const row = page.getByTestId("invitation-row").filter({ hasText: email });
  await expect(row).toContainText("admin");
  await expect(row).toContainText(GRACE.name);

  const { mail, link, token } = await invitationMail(email, organization.name);
  expect(mail.subject).toBe(`${GRACE.name} invited you to ${organization.name} on DevFlow`);
  expect(mail.text).toContain("as an admin");
  expect(mail.html).toContain(`/invite/${token}`);
  // The link is in the email only, never in an API answer.
  expect(JSON.stringify(await pendingInvitations(grace))).not.toContain(token);

  const invitee = await inviteeBrowser(browser);
  await signInFromInvitation(invitee, link, email);
  const card = invitee.getByTestId("invitation");
  await expect(card.getByTestId("invitation-organization")).toHaveText(organization.name);
  await expect(card).toContainText("admin");
  await expect(invitee.getByTestId("invitation-problem")).toHaveCount(0);
  await invitee.getByTestId("accept-invitation").click();

  await expect(invitee).toHaveURL(`/${organization.slug}`);
  await expect(invitee.getByTestId("org-switcher")).toContainText(new RegExp(`${organization.name}\\s*admin`));
  const { api: inviteeApi, context: inviteeContext } = await restOf(playwright.request, invitee);
  const session = await inviteeApi.session();
  expect(session.user.email).toBe(email);
  expect(organizationOf(session, organization.slug).role).toBe("admin");
  // As an admin they may now do what admins do there, e.g. read the member list.
  const members = await inviteeApi
    .in(organization.id)
    .ok("GET", "/members", (b) => pageOf(MemberSchema).parse(b), { params: { limit: 100 } });
  expect(members.items.map((m) => [m.user.email, m.role]).sort()).toEqual(
    [
      [GRACE.email, "owner"],
      [email, "admin"],
    ].sort(),
  );
  expect(await pendingInvitations(grace)).toEqual([]);

  // The same link again: clearly used up, nothing to accept.
  await invitee.goto(link);
  await expect(invitee.getByTestId("invitation-problem")).toHaveText("This invitation has already been used.");
  await expect(invitee.getByTestId("accept-invitation")).toHaveCount(0);
  const reused = expectError(
    await inviteeApi.call("POST", "/invitations/accept", { data: { token }, organizationId: null }),
    409,
    "conflict",
  );
  expect(reused.error.details).toMatchObject({ reason: "invitation_used" });
  await invitee.context().close();
  await inviteeContext.dispose();
  await graceContext.dispose();
});

test("a link opened by someone signed in with another email says so and grants nothing", async ({
  page,
  playwright,
}) => {
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Workshop"));
  const grace = api.in(organization.id);
  const email = uniqueEmail("intended");
  const invitation = await invite(grace, email, "member");
  const { link, token } = await invitationMail(email, organization.name);

  await signIn(page.request, ADA.email);
  const { api: ada, context: adaContext } = await restOf(playwright.request, page);
  await page.goto(link);
  await expect(page.getByTestId("invitation-organization")).toHaveText(organization.name);
  await expect(page.getByTestId("invitation-problem")).toHaveText(
    `This invitation was sent to ${email}, but you are signed in as ${ADA.email}. Sign in with ${email} to accept it.`,
  );
  await expect(page.getByTestId("accept-invitation")).toHaveCount(0);

  // The API refuses it too, whatever the page shows.
  const refused = expectError(
    await ada.call("POST", "/invitations/accept", { data: { token }, organizationId: null }),
    403,
    "forbidden",
  );
  expect(refused.error.details).toMatchObject({ reason: "invitation_email_mismatch" });

  const session = await ada.session();
  expect(session.organizations.map((o) => o.id)).not.toContain(organization.id);
  expectError(await ada.in(organization.id).call("GET", "/projects"), 403, "forbidden");
  // Still pending for the person it was meant for.
  expect((await pendingInvitations(grace)).map((i) => i.id)).toEqual([invitation.id]);
  await adaContext.dispose();
  await graceContext.dispose();
});

test("an expired invitation says so once the invitee signs in, and cannot be accepted", async ({
  page,
  playwright,
}) => {
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Workshop"));
  const grace = api.in(organization.id);
  const email = uniqueEmail("latecomer");
  const invitation = await invite(grace, email, "member");
  const { link, token } = await invitationMail(email, organization.name);
  await expireInvitation(invitation.id);

  await signInFromInvitation(page, link, email);
  await expect(page.getByTestId("invitation-organization")).toHaveText(organization.name);
  await expect(page.getByTestId("invitation-problem")).toHaveText(
    "This invitation has expired. Ask the person who invited you to send a new one.",
  );
  await expect(page.getByTestId("accept-invitation")).toHaveCount(0);

  const { api: invitee, context: inviteeContext } = await restOf(playwright.request, page);
  const refused = expectError(
    await invitee.call("POST", "/invitations/accept", { data: { token }, organizationId: null }),
    409,
    "conflict",
  );
  expect(refused.error.details).toMatchObject({ reason: "invitation_expired" });
  const session = await invitee.session();
  expect(session.user.email).toBe(email);
  expect(session.organizations).toEqual([]);
  expect(await pendingInvitations(grace)).toEqual([]);
  await inviteeContext.dispose();
  await graceContext.dispose();
});
