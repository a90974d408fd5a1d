import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect, test } from "@playwright/test";
import { bearerApi, createApiToken } from "../support/access";
import { ADA, DEMO_CO, expectError, GRACE, organizationOf, signIn, unique } from "../support/devflow";
import { E2E_PORTS, WEB_URL } from "../support/ports";

/**
 * An agent edits a document someone has open: an MCP client (the SDK, as Claude would run it)
 * acts for Ada with her API token and calls edit_doc on the ai app; Grace, in the browser, sees the
 * new text arrive live and "Claude via MCP, for Ada Lovelace" among the people in the document.
 */

const MCP_URL = `http://localhost:${E2E_PORTS.ai}/mcp`;

function structured(result: unknown): Record<string, unknown> {
  const r = result as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent as Record<string, unknown>;
}

test("an MCP client's edit shows up live in an open editor, with the agent in presence", async ({ browser }) => {
  // Two sign-ins, a browser editor, an MCP session and a live edit: more steps than most specs.
  test.slow();
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.projectNamed("Platform");
  const doc = await demoCo.createDocument(project.id, {
    title: unique("Agent edit"),
    kind: "design_doc",
    content: "# Launch\n\nWe launch on Monday.\n",
  });
  const { token, id: tokenId } = await createApiToken(demoCo, { name: unique("Claude"), scopes: ["read", "write"] });

  const graceContext = await browser.newContext({ baseURL: WEB_URL });
  await signIn(graceContext.request, GRACE.email);
  const grace = await graceContext.newPage();
  await grace.goto(`/${DEMO_CO.slug}/documents/${doc.id}`);
  await expect(grace.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
  const editor = grace.getByTestId("editor").locator(".cm-content");
  await expect(editor).toContainText("We launch on Monday.");

  const client = new Client({ name: "Claude", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const read = structured(await client.callTool({ name: "get_doc", arguments: { documentId: doc.id } }));
  const text = read.text as string;
  const at = text.indexOf("Monday");
  const edited = structured(
    await client.callTool({
      name: "edit_doc",
      arguments: {
        documentId: doc.id,
        baseVersion: read.version,
        edits: [{ start: at, end: at + "Monday".length, text: "Friday, after the load test" }],
      },
    }),
  );
  expect(edited).toMatchObject({ documentId: doc.id, changed: true });
  expect(edited.diff).toContain("+We launch on Friday, after the load test.");

  // The agent stays in the document for a few seconds after its edit: look for it first. Then the
  // text, live in Grace's editor without a reload.
  const agentLabel = `Claude via MCP, for ${ADA.name}`;
  await expect(grace.getByTestId("presence-avatars")).toHaveAttribute("aria-label", `Also here: ${agentLabel}`);
  await expect(grace.getByTestId("remote-cursor").filter({ hasText: agentLabel })).toBeVisible();
  await expect(editor).toContainText("We launch on Friday, after the load test.", { timeout: 10_000 });
  await expect(grace.getByTestId("sync-state")).toHaveText(/saved/i);
  expect((await demoCo.getDocument(doc.id)).content).toBe("# Launch\n\nWe launch on Friday, after the load test.\n");

  await client.close();
  await demoCo.call("DELETE", `/tokens/${tokenId}`);
  await demoCo.call("DELETE", `/documents/${doc.id}`);
  await graceContext.close();
  await setup.close();
});

test("a read-only token is offered no editing tools and cannot get a collab token to edit with; no API token gets an ai or worker token", async ({
  browser,
  playwright,
}) => {
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const { token, id: tokenId } = await createApiToken(demoCo, { name: unique("Reader"), scopes: ["read"] });

  const client = new Client({ name: "Claude", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toContain("get_doc");
  expect(names).not.toContain("edit_doc");
  expect(names).not.toContain("create_doc");
  await client.close();

  const { api: bearer, context } = await bearerApi(playwright.request, token);
  expectError(
    await bearer.call("POST", "/service-tokens", { data: { audience: "collab", agent: "Claude via MCP" } }),
    403,
    "forbidden",
  );
  await context.dispose();

  // Even with the write scope, an API token is exchanged for collab tokens only: a token for ai or
  // the worker would carry the owner's whole role.
  const writer = await createApiToken(demoCo, { name: unique("Writer"), scopes: ["read", "write"] });
  const { api: writerApi, context: writerContext } = await bearerApi(playwright.request, writer.token);
  for (const audience of ["ai", "worker"]) {
    expectError(await writerApi.call("POST", "/service-tokens", { data: { audience } }), 403, "forbidden");
  }
  await writerContext.dispose();
  await demoCo.call("DELETE", `/tokens/${writer.id}`);
  await demoCo.call("DELETE", `/tokens/${tokenId}`);
  await setup.close();
});
