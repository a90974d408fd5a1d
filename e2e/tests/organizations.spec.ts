import { expect, test, type Page } from "@playwright/test";
import {
  ADA,
  COMPILERS_ADR,
  DEMO_CO,
  documentRow,
  expectError,
  GUILD,
  organizationOf,
  projectCard,
  signIn,
  unique,
} from "../support/devflow";

function switcher(page: Page) {
  return page.getByTestId("org-switcher");
}

function organizationOption(page: Page, name: string) {
  return page.getByTestId("org-option").filter({ hasText: name });
}

test("the switcher lists Ada's organizations with her roles and switches to the guild", async ({ page }) => {
  const { api, session } = await signIn(page.request, ADA.email);
  const guild = organizationOf(session, GUILD.slug);
  await page.goto(`/${DEMO_CO.slug}`);
  await expect(projectCard(page, "Platform")).toBeVisible();
  await expect(switcher(page)).toContainText(new RegExp(`${DEMO_CO.name}\\s*owner`));

  await switcher(page).click();
  await expect(switcher(page)).toHaveAttribute("aria-expanded", "true");
  const menu = page.getByRole("menu", { name: /Switch organization/ });
  await expect(menu).toBeVisible();
  await expect(organizationOption(page, DEMO_CO.name)).toContainText("owner");
  await expect(organizationOption(page, DEMO_CO.name)).toHaveAttribute("aria-current", "true");
  await expect(organizationOption(page, GUILD.name)).toContainText("viewer");
  await expect(organizationOption(page, GUILD.name)).not.toHaveAttribute("aria-current", "true");
  await expect(menu.getByTestId("create-organization")).toBeVisible();

  await organizationOption(page, GUILD.name).click();
  await expect(page).toHaveURL(`/${GUILD.slug}`);
  await expect(menu).toBeHidden();
  await expect(switcher(page)).toHaveAccessibleName(`Organization: ${GUILD.name}. Switch organization`);
  await expect(switcher(page)).toContainText(new RegExp(`${GUILD.name}\\s*viewer`));
  await expect(projectCard(page, "Compilers")).toBeVisible();
  await expect(projectCard(page, "Compilers")).toContainText("1 document");
  await expect(page.getByTestId("projects-nav").getByRole("link", { name: "COMP Compilers" })).toBeVisible();
  // Nothing of Demo Co's follows along.
  await expect(projectCard(page, "Platform")).toHaveCount(0);
  await expect(page.getByTestId("projects-nav")).not.toContainText("Platform");

  // The switch is the session's: a fresh visit to / lands in the guild.
  expect((await api.session()).currentOrganizationId).toBe(guild.id);
  await page.goto("/");
  await expect(page).toHaveURL(`/${GUILD.slug}`);
});

test("as a viewer in the guild Ada sees no write controls, and the API refuses her writes", async ({ page }) => {
  const { session, api: ada } = await signIn(page.request, ADA.email);
  const guild = organizationOf(session, GUILD.slug);
  expect(guild.role).toBe("viewer");
  const api = ada.in(guild.id);
  const compilers = await api.projectNamed("Compilers");
  const [adr] = (await api.listDocuments(compilers.id)).items;
  expect(adr?.title).toBe(COMPILERS_ADR);

  await page.goto(`/${GUILD.slug}`);
  await expect(projectCard(page, "Compilers")).toBeVisible();
  await expect(page.getByTestId("new-project")).toHaveCount(0);

  await projectCard(page, "Compilers").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compilers COMP");
  const row = documentRow(page, COMPILERS_ADR);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("kind-badge")).toHaveText("ADR");
  await expect(page.getByTestId("new-document")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /New document|Create the first document/ })).toHaveCount(0);
  await expect(row.getByTestId("document-actions")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);

  await row.getByTestId("document-title").click();
  await expect(page.getByTestId("document-heading")).toHaveText(COMPILERS_ADR);
  await expect(page.getByTestId("document-content")).toContainText("We keep the recursive-descent parser.");
  // The editor is there to read, not to type in: typing changes nothing.
  const editor = page.getByTestId("editor").getByRole("textbox");
  await expect(editor).toHaveAttribute("aria-readonly", "true");
  await editor.click();
  await page.keyboard.type("viewer was here");
  await expect(page.getByTestId("document-content")).not.toContainText("viewer was here");

  // The UI hiding a button is not the protection: the API says no on its own.
  const denied = expectError(
    await api.call("POST", `/projects/${compilers.id}/documents`, { data: { title: unique("Sneaky"), kind: "rfc" } }),
    403,
    "forbidden",
  );
  expect(denied.error.message).toMatch(/viewer/i);
  expectError(
    await api.call("PATCH", `/documents/${adr!.id}`, { data: { title: "Renamed by a viewer" } }),
    403,
    "forbidden",
  );
  expectError(await api.call("PATCH", `/documents/${adr!.id}`, { data: { archived: true } }), 403, "forbidden");
  expectError(await api.call("DELETE", `/documents/${adr!.id}`), 403, "forbidden");
  expectError(await api.call("POST", "/projects", { data: { name: unique("Sneaky project") } }), 403, "forbidden");
  expectError(await api.call("PATCH", `/projects/${compilers.id}`, { data: { name: "Renamed" } }), 403, "forbidden");
  expectError(await api.call("DELETE", `/projects/${compilers.id}`), 403, "forbidden");

  const after = await api.listDocuments(compilers.id);
  expect(after.items.map((d) => d.title)).toEqual([COMPILERS_ADR]);
  expect((await api.getDocument(adr!.id)).archivedAt).toBeNull();
  expect((await api.projectNamed("Compilers")).name).toBe("Compilers");
});

test("creates an organization from the switcher and lands in its empty workspace", async ({ page }) => {
  // Sorts after "Demo Co": sign-in opens a user's first organization by name, and other tests rely on that.
  const name = unique("Team");
  const { api } = await signIn(page.request, ADA.email);
  await page.goto(`/${DEMO_CO.slug}`);
  await expect(projectCard(page, "Platform")).toBeVisible();

  await switcher(page).click();
  await page.getByTestId("create-organization").click();
  const dialog = page.getByRole("dialog", { name: "Create organization" });
  await expect(dialog).toBeVisible();
  const nameField = dialog.getByRole("textbox", { name: "Organization name" });
  await expect(nameField).toBeFocused();
  await expect(dialog.getByRole("button", { name: "Create organization" })).toBeDisabled();
  await nameField.fill(name);
  await nameField.press("Enter");

  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  await expect(page).toHaveURL(`/${slug}`);
  await expect(dialog).toBeHidden();
  await expect(switcher(page)).toHaveAccessibleName(`Organization: ${name}. Switch organization`);
  await expect(switcher(page)).toContainText(new RegExp(`${name}\\s*owner`));
  await expect(page.getByTestId("projects-empty")).toContainText("No projects yet — create the first one");
  await expect(page.getByTestId("projects-empty").getByRole("button", { name: "Create a project" })).toBeVisible();
  await expect(page.getByTestId("projects-nav")).toContainText("No projects yet");
  await expect(projectCard(page, "Platform")).toHaveCount(0);

  await switcher(page).click();
  await expect(organizationOption(page, name)).toContainText("owner");
  await expect(organizationOption(page, name)).toHaveAttribute("aria-current", "true");
  await expect(organizationOption(page, DEMO_CO.name)).toContainText("owner");
  await expect(organizationOption(page, GUILD.name)).toContainText("viewer");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toBeHidden();

  const session = await api.session();
  const created = organizationOf(session, slug);
  expect(created).toMatchObject({ name, role: "owner" });
  expect(session.currentOrganizationId).toBe(created.id);
  expect((await api.in(created.id).listProjects()).items).toEqual([]);

  // Server-rendered too, not just client state.
  await page.reload();
  await expect(page.getByTestId("projects-empty")).toBeVisible();
});
