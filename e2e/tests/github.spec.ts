import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { Api, continueWithEmail, expectError } from "../support/devflow";
import { setGitHubUser } from "../support/mailbox";

/**
 * "Continue with GitHub" against a stand-in that speaks GitHub's documented OAuth wire format (the
 * real GitHub is unreachable from here): authorize → code → access_token → /user and /user/emails.
 * One GitHub user is signed in there at a time, so these run one after another.
 */
test.describe.configure({ mode: "serial" });

function person() {
  const id = randomUUID().slice(0, 8);
  return { id: Number.parseInt(id, 16), login: `octo-${id}`, email: `octo-${id}@example.com` };
}

async function continueWithGitHub(page: Page, email: string) {
  await continueWithEmail(page, email);
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
}

test("signs in with GitHub using the account's primary verified email", async ({ page }) => {
  const octo = person();
  await setGitHubUser({
    id: octo.id,
    login: octo.login,
    name: "Octo Cat",
    emails: [
      { email: `old-${octo.email}`, primary: false, verified: true },
      { email: octo.email, primary: true, verified: true },
    ],
  });
  await continueWithGitHub(page, octo.email);
  await expect(page).toHaveURL("/");
  const session = await new Api(page.request).session();
  expect(session.user).toMatchObject({ email: octo.email, name: "Octo Cat" });
});

test("refuses a GitHub account whose primary email is not verified, and says why", async ({ page }) => {
  const octo = person();
  await setGitHubUser({
    id: octo.id,
    login: octo.login,
    name: null,
    emails: [{ email: octo.email, primary: true, verified: false }],
  });
  await continueWithGitHub(page, octo.email);
  await expect(page).toHaveURL(/\/sign-in\?error=email_missing/);
  await expect(page.getByTestId("sign-in-form").getByRole("alert")).toContainText("verified email address");
  expectError(await new Api(page.request).call("GET", "/session"), 401, "unauthenticated");
});
