import { expect, test, type Page } from "@playwright/test";
import { ADA, Api, DEMO_CO, expectError, openSignIn, projectCard, signIn, unique } from "../support/devflow";

/**
 * The sign-in page is server-rendered; its form only works once React has hydrated it. Clearing the
 * email disables "Sign in" only through React state, so this doubles as the hydration check.
 */
const openSignInForm = (page: Page) => openSignIn(page);

async function expectInDemoCo(page: Page) {
  await expect(page).toHaveURL(`/${DEMO_CO.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();
  await expect(projectCard(page, "Platform")).toBeVisible();
  await expect(projectCard(page, "Platform")).toContainText("PLAT");
  await expect(projectCard(page, "Mobile")).toBeVisible();
  await expect(projectCard(page, "Mobile")).toContainText("MOB");
  await expect(page.getByTestId("org-switcher")).toHaveAccessibleName(
    `Organization: ${DEMO_CO.name}. Switch organization`,
  );
  await expect(page.getByTestId("user-menu")).toContainText(ADA.name);
}

test("visiting / signed out lands on the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Demo users" }).getByTestId("demo-user")).toHaveCount(2);

  // Signed-in pages redirect too, rather than rendering an empty shell.
  await page.goto(`/${DEMO_CO.slug}`);
  await expect(page).toHaveURL("/sign-in");
});

test("signs in as Ada with the demo-user button and lands in Demo Co", async ({ page }) => {
  await openSignInForm(page);
  await page.getByRole("button", { name: `Sign in as ${ADA.name} (${ADA.email})` }).click();
  await expectInDemoCo(page);

  // Back on /sign-in while signed in: sent to the workspace.
  await page.goto("/sign-in");
  await expect(page).toHaveURL(`/${DEMO_CO.slug}`);
});

test("signs in as Ada by typing her email (Enter continues) and lands in Demo Co", async ({ page }) => {
  const { email, submit } = await openSignInForm(page);
  await email.fill(ADA.email);
  await expect(submit).toBeEnabled();
  await email.press("Enter");
  // Demo Co has no SSO, so the choices are an email link or, in development, signing in directly.
  const options = page.getByTestId("sign-in-options");
  await expect(options.getByTestId("sign-in-email-link")).toBeVisible();
  await options.getByTestId("sign-in-dev").click();
  await expectInDemoCo(page);
});

test("a malformed email, or an unknown one for development sign-in, shows a clear error", async ({ page }) => {
  const { email } = await openSignInForm(page);
  const form = page.getByTestId("sign-in-form");
  await email.fill("not-an-email");
  await email.press("Enter");
  await expect(form.getByRole("alert")).toContainText(/email: .*email/i);
  await expect(page).toHaveURL("/sign-in");

  const unknown = `${unique("nobody").replace(" ", "-")}@example.com`;
  await email.fill(unknown);
  await email.press("Enter");
  await form.getByTestId("sign-in-dev").click();
  await expect(form.getByRole("alert")).toContainText(`No user has the email ${unknown}`);
  await expect(page).toHaveURL("/sign-in");

  expectError(await new Api(page.request).call("GET", "/session"), 401, "unauthenticated");
});

test("signing out returns to sign-in and the API then answers 401 unauthenticated", async ({ page }) => {
  const { session } = await signIn(page.request, ADA.email);
  await page.goto(`/${DEMO_CO.slug}`);
  await expectInDemoCo(page);

  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  const api = new Api(page.request);
  expectError(await api.call("GET", "/session"), 401, "unauthenticated");
  expectError(await api.call("GET", "/projects"), 401, "unauthenticated");
  const demoCo = session.organizations.find((o) => o.slug === DEMO_CO.slug)!;
  expectError(await api.in(demoCo.id).call("GET", "/projects"), 401, "unauthenticated");
  expectError(
    await api.in(demoCo.id).call("POST", "/organizations", { data: { name: unique("Team") } }),
    401,
    "unauthenticated",
  );

  await page.goto(`/${DEMO_CO.slug}`);
  await expect(page).toHaveURL("/sign-in");
});
