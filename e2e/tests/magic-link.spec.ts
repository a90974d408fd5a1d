import { expect, test } from "@playwright/test";
import { Api, continueWithEmail, expectError, unique } from "../support/devflow";
import { latestMailTo } from "../support/mailbox";

/**
 * Email links: the web app sends through SMTP to the real SMTP server the e2e stack runs
 * (support/test-services.ts); the test reads the message there and follows the link like a person.
 */

const newAddress = () => `${unique("newcomer").replace(" ", "-")}@example.com`;

test("a new person signs in with an emailed link, once, and starts by creating an organization", async ({ page }) => {
  const email = newAddress();
  await continueWithEmail(page, email);
  await page.getByTestId("sign-in-email-link").click();
  await expect(page.getByTestId("sign-in-sent")).toContainText(email);

  const mail = await latestMailTo(email);
  expect(mail.subject).toMatch(/sign in/i);
  expect(mail.text).toContain("15 minutes");
  const link = mail.text.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)?.[0];
  expect(link, mail.text).toBeDefined();
  expect(mail.html).toContain("/api/auth/callback/email");

  await page.goto(link!);
  // No organization yet: the welcome page asks for a first one.
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const session = await new Api(page.request).session();
  expect(session.user.email).toBe(email);
  expect(session.organizations).toEqual([]);

  // The link worked once; a second use is refused with a clear message, and signs nobody in.
  await page.context().clearCookies();
  await page.goto(link!);
  await expect(page).toHaveURL(/\/sign-in\?error=Verification/);
  await expect(page.getByTestId("sign-in-form").getByRole("alert")).toContainText("expired or was already used");
  expectError(await new Api(page.request).call("GET", "/session"), 401, "unauthenticated");
});

test("an email link cannot be used to land on another site", async ({ page }) => {
  const email = newAddress();
  await continueWithEmail(page, email, "/sign-in?next=https://evil.example/steal");
  await page.getByTestId("sign-in-email-link").click();
  await expect(page.getByTestId("sign-in-sent")).toBeVisible();
  const link = (await latestMailTo(email)).text.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)![0];
  await page.goto(link);
  await expect(page).toHaveURL("/");
});
