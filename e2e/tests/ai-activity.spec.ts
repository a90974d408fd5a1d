import { randomUUID } from "node:crypto";
import { ProjectSchema } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { ADA, DEMO_CO, GRACE, expectError, organizationOf, signIn, unique, uniqueKey } from "../support/devflow";
import { withE2eDatabase } from "../support/db";
import { WEB_URL } from "../support/ports";

/**
 * The AI activity page, end to end: calls and agent runs recorded for a fresh project (written
 * straight to the database, as apps/ai would record them) show up in the chart, totals and table,
 * filters live in the URL, the ledger tab opens a run whose source links to the passage it read;
 * and a member who is not on a private project gets not_found for its activity.
 */

const DAY_MS = 86_400_000;
const dayAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

interface CallSeed {
  organizationId: string;
  userId: string;
  projectId: string;
  model: string;
  at: string;
  latencyMs: number;
  status?: "ok" | "error";
  tool?: string;
}

async function seedCalls(calls: CallSeed[]): Promise<void> {
  await withE2eDatabase(async (client) => {
    for (const c of calls) {
      await client.query(
        `INSERT INTO ai_activities (organization_id, user_id, project_id, surface, tool, provider, model,
                                    input_tokens, output_tokens, latency_ms, cost_usd, status, error_code, created_at)
         VALUES ($1, $2, $3, 'mcp', $4, 'openai', $5, 1200, 300, $6, 0.0125, $7, $8, $9)`,
        [
          c.organizationId,
          c.userId,
          c.projectId,
          c.tool ?? "search_docs",
          c.model,
          c.latencyMs,
          c.status ?? "ok",
          c.status === "error" ? "rate_limited" : null,
          c.at,
        ],
      );
    }
  });
}

async function seedRun(run: {
  organizationId: string;
  userId: string;
  projectId: string;
  agent: string;
  source: { documentId: string; title: string; version: number; start: number; end: number };
}): Promise<string> {
  return withE2eDatabase(async (client) => {
    const started = new Date(Date.now() - 60_000);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO agent_executions (organization_id, user_id, project_id, agent, tool, status, input, output,
                                     sources, diff, duration_ms, started_at, finished_at)
       VALUES ($1, $2, $3, $4, 'edit_doc', 'succeeded', $5, $6, $7, $8, 840, $9, $10)
       RETURNING id`,
      [
        run.organizationId,
        run.userId,
        run.projectId,
        run.agent,
        JSON.stringify({ documentId: run.source.documentId, instruction: "Tighten the retry section" }),
        JSON.stringify({ version: run.source.version + 1 }),
        JSON.stringify([run.source]),
        "--- a/doc.md\n+++ b/doc.md\n@@ -1,3 +1,3 @@\n # Retries\n-Retry forever.\n+Retry eight times, then dead-letter.\n",
        started.toISOString(),
        new Date(started.getTime() + 840).toISOString(),
      ],
    );
    return rows[0]!.id;
  });
}

test("recorded calls and agent runs show in the chart, totals, tables and a run's detail", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(context.request, ADA.email);
  const demoCo = organizationOf(session, DEMO_CO.slug);
  const ada = api.in(demoCo.id);
  const project = await ada.createProject({ name: unique("Activity"), key: uniqueKey() });
  const content = "# Retries\n\nRetry forever.\n";
  const doc = await ada.createDocument(project.id, { title: unique("Retry policy"), kind: "design_doc", content });

  const model = `e2e-model-${randomUUID().slice(0, 8)}`;
  const other = `e2e-other-${randomUUID().slice(0, 8)}`;
  const base = { organizationId: demoCo.id, userId: session.user.id, projectId: project.id };
  const earlier = dayAgo(2);
  await seedCalls([
    { ...base, model, at: `${earlier}T09:00:00.000Z`, latencyMs: 400 },
    { ...base, model, at: `${earlier}T10:00:00.000Z`, latencyMs: 600 },
    { ...base, model, at: `${earlier}T11:00:00.000Z`, latencyMs: 800, status: "error" },
    { ...base, model: other, at: new Date().toISOString(), latencyMs: 100, tool: "read_doc" },
  ]);
  const agent = unique("E2E Agent");
  const runId = await seedRun({
    ...base,
    agent,
    source: { documentId: doc.id, title: doc.title, version: doc.version, start: 0, end: 9 },
  });

  const page = await context.newPage();
  await page.goto(`/${DEMO_CO.slug}/ai-activity?projectId=${project.id}`);
  await expect(page.getByRole("heading", { name: "AI activity", level: 1 })).toBeVisible();
  // The first data waits for hydration and the summary query; a loaded runner needs more than 5 s.
  await expect(page.getByTestId("total-calls")).toHaveText("4", { timeout: 20_000 });
  const chart = page.getByTestId("activity-chart");
  await expect(chart.getByRole("img", { name: "Calls per day" })).toBeVisible();
  await expect(chart.locator(`[data-testid="chart-bar"][data-day="${earlier}"]`)).toHaveAttribute("data-value", "3");
  await expect(page.getByTestId("call-row")).toHaveCount(4);

  // Filter by model through the form: the URL carries it, and everything follows.
  await page.getByTestId("filter-model").fill(model);
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(new RegExp(`model=${model}`));
  await expect(page.getByTestId("call-row")).toHaveCount(3);
  await expect(page.getByTestId("total-calls")).toHaveText("3");
  await expect(page.getByTestId("total-errors")).toHaveText("1");
  await expect(page.getByTestId("total-latency")).toHaveText("600 ms");
  await expect(page.getByTestId("by-model")).toContainText(model);

  // The chart's numbers are also a table.
  await chart.getByText("Show the numbers as a table").click();
  await expect(
    chart.getByTestId("chart-table").getByRole("row", { name: new RegExp(`^${earlier} 3 1`) }),
  ).toBeVisible();

  // A reload keeps the filter; the arrow key moves to the ledger tab.
  await page.reload();
  await expect(page.getByTestId("total-calls")).toHaveText("3");
  await page.getByTestId("tab-calls").focus();
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/tab=ledger/);
  await expect(page.getByTestId("tab-ledger")).toBeFocused();
  const row = page.locator(`[data-testid="ledger-row"][data-execution-id="${runId}"]`);
  await expect(row).toContainText(agent);
  await expect(row).toContainText("edit_doc");
  await expect(row).toContainText("+1");
  await expect(row.getByTestId("source-link")).toHaveText(doc.title);

  await row.getByTestId("ledger-open").click();
  await page.waitForURL(new RegExp(`/ai-activity/ledger/${runId}$`));
  const detail = page.getByTestId("execution-detail");
  await expect(detail.getByRole("heading", { level: 1 })).toContainText(`edit_doc by ${agent}`);
  await expect(detail.getByTestId("execution-outcome")).toHaveText("Succeeded");
  await expect(detail.getByTestId("execution-input")).toContainText("Tighten the retry section");
  await expect(detail.getByTestId("execution-diff")).toContainText("+Retry eight times, then dead-letter.");
  const source = detail.getByTestId("execution-sources").getByTestId("source-link");
  await expect(source).toHaveAttribute("href", `/${DEMO_CO.slug}/documents/${doc.id}?at=0-9&v=${doc.version}`);
  await source.click();
  await page.waitForURL(new RegExp(`/documents/${doc.id}\\?at=0-9&v=${doc.version}$`));
  await context.close();
});

test("a member gets not_found for the activity of a private project they are not on", async ({ browser }) => {
  const adaContext = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(adaContext.request, ADA.email);
  const demoCo = organizationOf(session, DEMO_CO.slug);
  const secret = await api.in(demoCo.id).ok(
    "POST",
    "/projects",
    (b) => ProjectSchema.parse(b),
    {
      data: { name: unique("Secret"), key: uniqueKey(), visibility: "private" },
    },
    201,
  );
  const source = { documentId: randomUUID(), title: "Secret doc", version: 1, start: 0, end: 5 };
  const base = { organizationId: demoCo.id, userId: session.user.id, projectId: secret.id };
  const runId = await seedRun({ ...base, agent: unique("E2E Agent"), source });

  const graceContext = await browser.newContext({ baseURL: WEB_URL });
  const grace = (await signIn(graceContext.request, GRACE.email)).api.in(demoCo.id);
  expectError(await grace.call("GET", "/ai-activity", { params: { projectId: secret.id } }), 404, "not_found");
  expectError(await grace.call("GET", "/ai-activity/summary", { params: { projectId: secret.id } }), 404, "not_found");
  expectError(await grace.call("GET", `/agent-executions/${runId}`), 404, "not_found");
  // Ada, the owner, sees it.
  expect((await api.in(demoCo.id).call("GET", `/agent-executions/${runId}`)).status).toBe(200);

  // And the detail page says so plainly instead of failing.
  const page = await graceContext.newPage();
  await page.goto(`/${DEMO_CO.slug}/ai-activity/ledger/${runId}`);
  // The page hydrates before it asks; a loaded runner needs more than the default 5 s for both.
  await expect(page.getByTestId("execution-not-found")).toBeVisible({ timeout: 15_000 });
  await adaContext.close();
  await graceContext.close();
});
