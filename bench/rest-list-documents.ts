/**
 * REST latency for listing a project with 1,000 documents, through the production build of the
 * web app against the PostgreSQL server (TEST_DATABASE_URL), signed in as a member.
 * Target: p95 under 50 ms. Needs `npm run build -w @devflow/web` first.
 */
import { startWebServer } from "../apps/web/server";
import { createTestDatabase } from "@devflow/db/testing";
import { buildOrganization } from "@devflow/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { loadConfig, WebConfigSchema } from "@devflow/util-config";
import { summarize } from "./stats";

const DOCUMENTS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);

export async function benchRestListDocuments() {
  await using t = await createTestDatabase("postgres");
  const org = await buildOrganization(t.db, "Bench");
  const project = await createProjectsService(t.db).create(org.ctx, { name: "Big project", description: "" });
  await t.db.withTenant(org.ctx, (tx) =>
    tx.document.createMany({
      data: Array.from({ length: DOCUMENTS }, (_, i) => ({
        organizationId: org.organization.id,
        projectId: project.id,
        title: `Design doc ${i}`,
        kind: "design_doc" as const,
        content: `# Design doc ${i}\n\n${"Lorem ipsum dolor sit amet. ".repeat(200)}`,
        updatedAt: new Date(Date.now() - i * 1000),
      })),
    }),
  );

  const port = 3900 + Math.floor(Math.random() * 90);
  const config = loadConfig("web", WebConfigSchema, {
    ...process.env,
    DEVFLOW_ENV: "test",
    DEVFLOW_DEV_SIGN_IN: "1",
    DATABASE_URL: t.appUrl,
    WEB_PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: "warn",
  });
  const web = await startWebServer({ config, dev: false, database: t.db });
  try {
    const base = `http://localhost:${port}`;
    const signIn = await fetch(`${base}/api/v1/session/dev-sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: org.owner.email }),
    });
    if (!signIn.ok) throw new Error(`dev sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const headers = { cookie, "x-organization-id": org.organization.id };
    const list = async (query: string) => {
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/projects/${project.id}/documents?${query}`, { headers });
      const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      if (!response.ok) throw new Error(`list failed: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };

    for (let i = 0; i < 30; i++) await list("limit=100");
    const firstPage: number[] = [];
    for (let i = 0; i < ROUNDS; i++) firstPage.push((await list("limit=100")).ms);

    const fullWalk: number[] = [];
    const perPage: number[] = [];
    for (let i = 0; i < Math.max(10, ROUNDS / 10); i++) {
      const started = performance.now();
      let cursor: string | null = null;
      let seen = 0;
      do {
        const page: { ms: number; body: { items: unknown[]; nextCursor: string | null } } = await list(
          `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        perPage.push(page.ms);
        seen += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
      if (seen !== DOCUMENTS) throw new Error(`walked ${seen} documents, expected ${DOCUMENTS}`);
      fullWalk.push(performance.now() - started);
    }
    return {
      "GET documents (first page of 100, 1,000 in project)": summarize(firstPage),
      "GET documents (any page of 100, walking all 1,000)": summarize(perPage),
      "walk all 1,000 documents (10 pages)": summarize(fullWalk),
    };
  } finally {
    await web.close();
  }
}
