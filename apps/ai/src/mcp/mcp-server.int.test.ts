import { createAgentLedgerService } from "@devflow/domain-agent-ledger";
import { createApiTokensService } from "@devflow/domain-api-tokens";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { AI_PUBLIC_URL, useMcpWorkspace } from "./testing/mcp-workspace";

/**
 * The MCP server over HTTP with the SDK's own client, against a real ai app and database: who gets
 * in, which tools each token sees, what every tool answers, and that nothing crosses from one
 * organization (or a private project) to another. Live edits: mcp-live-edit.int.test.ts.
 */
const w = useMcpWorkspace();

const METADATA_URL = `${AI_PUBLIC_URL}/.well-known/oauth-protected-resource`;
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};

function post(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(INITIALIZE),
  });
}

function output(result: unknown): Record<string, unknown> {
  const r = result as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent as Record<string, unknown>;
}

function errorOf(result: unknown): { code: string; message: string; details?: unknown } {
  const r = result as CallToolResult;
  expect(r.isError).toBe(true);
  return (r.structuredContent as { error: { code: string; message: string } }).error;
}

describe("the MCP server", () => {
  it("answers 401 with the resource metadata challenge without a token, and serves that metadata", async () => {
    const url = await w.startAi();
    const anonymous = await post(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthenticated" } });

    const junk = await post(url, { authorization: "Bearer dfp_not_a_token" });
    expect(junk.status).toBe(401);
    expect(junk.headers.get("www-authenticate")).toContain(
      `resource_metadata="${METADATA_URL}", error="invalid_token"`,
    );

    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      expect(await (await fetch(`${url}${path}`)).json()).toEqual({
        resource: `${AI_PUBLIC_URL}/mcp`,
        authorization_servers: ["http://web.devflow.test"],
        scopes_supported: ["read", "write"],
        bearer_methods_supported: ["header"],
        resource_name: "DevFlow",
      });
    }
  });

  it("stops accepting a token the moment it is revoked", async () => {
    const url = await w.startAi();
    const { token, id } = await w.tokenFor(w.member, ["read"]);
    const client = await w.connect(url, token);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await createApiTokensService(w.t.db).revoke(w.member, id);
    await expect(client.listTools()).rejects.toThrow(/unknown, revoked or expired/);
    expect((await post(url, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it("lists write tools only for a token with the write scope, with their input schemas", async () => {
    const url = await w.startAi();
    const reader = await w.connect(url, (await w.tokenFor(w.member, ["read"])).token);
    expect((await reader.listTools()).tools.map((t) => t.name)).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "ask",
      "triage_issue",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
    const writer = await w.connect(url, (await w.tokenFor(w.member, ["read", "write"])).token);
    const tools = (await writer.listTools()).tools;
    expect(tools.map((t) => t.name)).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "create_doc",
      "edit_doc",
      "ask",
      "triage_issue",
      "get_dora_metrics",
      "analyze_pr",
      "create_issue",
      "release_readiness",
    ]);
    const editDoc = tools.find((t) => t.name === "edit_doc")!;
    expect(editDoc.inputSchema).toMatchObject({
      type: "object",
      required: ["documentId", "baseVersion", "edits"],
      properties: { edits: { type: "array", items: { required: ["start", "end", "text"] } } },
    });
    expect(editDoc.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === "get_doc")!.annotations).toMatchObject({ readOnlyHint: true });
    // A viewer's token never writes, whatever scopes it was asked with.
    const viewer = await w.connect(url, (await w.tokenFor(w.viewer, ["read"])).token);
    expect((await viewer.listTools()).tools.map((t) => t.name)).not.toContain("create_doc");
  });

  it("refuses a write tool called by name with a read-only token, as an error result with the code", async () => {
    const url = await w.startAi();
    const reader = await w.connect(url, (await w.tokenFor(w.member, ["read"])).token);
    const refused = await reader.callTool({ name: "create_doc", arguments: { projectId: w.projectId, title: "Nope" } });
    expect(errorOf(refused)).toMatchObject({ code: "forbidden", message: expect.stringContaining("read scope") });
  });

  it("runs each read and write tool, and records every call in the agent ledger", async () => {
    const url = await w.startAi();
    const documentId = await w.newDocument(
      w.acme.ctx,
      w.projectId,
      "Osprey migration",
      "# Osprey\n\nMove the osprey queues.\n",
    );
    const { token, id: tokenId } = await w.tokenFor(w.member, ["read", "write"]);
    const client = await w.connect(url, token, "Claude");

    const projects = output(await client.callTool({ name: "list_projects", arguments: {} }));
    expect(projects.projects).toEqual([expect.objectContaining({ id: w.projectId, name: "Design" })]);

    const found = output(await client.callTool({ name: "search_docs", arguments: { query: "osprey queues" } }));
    expect(found.passages).toEqual([expect.objectContaining({ documentId, title: "Osprey migration", version: 0 })]);

    const read = await client.callTool({ name: "get_doc", arguments: { documentId } });
    expect(output(read)).toMatchObject({ documentId, version: 0, text: "# Osprey\n\nMove the osprey queues.\n" });
    expect((read as CallToolResult).content[0]).toMatchObject({
      type: "text",
      text: expect.stringContaining("# Osprey"),
    });

    const created = output(
      await client.callTool({
        name: "create_doc",
        arguments: { projectId: w.projectId, title: "Osprey ADR", templateId: "builtin:adr" },
      }),
    );
    expect(created).toMatchObject({ title: "Osprey ADR", kind: "adr", version: 0 });

    // No language model is configured here: the answer quotes the passage and cites it at its version.
    const asked = output(
      await client.callTool({ name: "ask", arguments: { question: "What about the osprey queues?" } }),
    );
    expect(asked.answer).toContain("No language model is configured");
    expect(asked.citations).toEqual([expect.objectContaining({ documentId, version: 0 })]);

    // No repository is connected: triage still says what an issue with this text would be.
    const triaged = output(
      await client.callTool({ name: "triage_issue", arguments: { text: "Login page crashes on Safari" } }),
    );
    expect(triaged).toMatchObject({
      priority: { value: "P1", because: ["crashes"] },
      labels: [{ value: "bug", because: ["crashes"] }],
      duplicates: [],
    });

    const ledger = await createAgentLedgerService(w.t.db).list(w.acme.ctx, { limit: 10 });
    const runs = ledger.items.filter((run) => run.apiToken?.id === tokenId);
    expect(runs.map((run) => run.tool).sort()).toEqual([
      "ask",
      "create_doc",
      "get_doc",
      "list_projects",
      "search_docs",
      "triage_issue",
    ]);
    expect(runs.every((run) => run.agent === "Claude" && run.status === "succeeded")).toBe(true);
    expect(runs.find((run) => run.tool === "get_doc")!.sources).toEqual([
      { documentId, title: "Osprey migration", version: 0 },
    ]);

    // Filing an issue needs a connected tracker, and this organization has none.
    const unfiled = errorOf(
      await client.callTool({
        name: "create_issue",
        arguments: { documentId, passage: "Move the osprey queues.", tracker: "linear", teamId: "team-1" },
      }),
    );
    expect(unfiled).toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("Linear is not connected"),
    });
  });

  it("answers bad input with validation_failed naming the fields, and records the failure", async () => {
    const url = await w.startAi();
    const { token, id: tokenId } = await w.tokenFor(w.member, ["read", "write"]);
    const client = await w.connect(url, token);
    const bad = errorOf(await client.callTool({ name: "get_doc", arguments: { documentId: "doc-1", version: -1 } }));
    expect(bad.code).toBe("validation_failed");
    expect((bad.details as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      "documentId",
      "version",
    ]);
    expect(errorOf(await client.callTool({ name: "no_such_tool", arguments: {} })).code).toBe("not_found");

    const ledger = await createAgentLedgerService(w.t.db).list(w.acme.ctx, { limit: 10, status: "failed" });
    expect(
      ledger.items
        .filter((run) => run.apiToken?.id === tokenId)
        .map((run) => run.tool)
        .sort(),
    ).toEqual(["get_doc", "no_such_tool"]);
  });

  it("treats another organization's and a private project's documents as missing, in tools and in search", async () => {
    const url = await w.startAi();
    const globexDoc = await w.newDocument(w.globex.ctx, w.globexProjectId, "Pelican plan", "The pelican plan.\n");
    const secretDoc = await w.newDocument(
      w.acme.ctx,
      w.privateProjectId,
      "Pelican secret",
      "The pelican plan, privately.\n",
    );
    const openDoc = await w.newDocument(w.acme.ctx, w.projectId, "Pelican open", "The pelican plan, openly.\n");
    const client = await w.connect(url, (await w.tokenFor(w.member, ["read", "write"])).token);

    for (const documentId of [globexDoc, secretDoc]) {
      expect(errorOf(await client.callTool({ name: "get_doc", arguments: { documentId } })).code).toBe("not_found");
      const edit = { documentId, baseVersion: 0, edits: [{ start: 0, end: 0, text: "x" }] };
      expect(errorOf(await client.callTool({ name: "edit_doc", arguments: edit })).code).toBe("not_found");
      await expect(client.readResource({ uri: `devflow://documents/${documentId}` })).rejects.toThrow(/not found/i);
    }
    const found = output(
      await client.callTool({ name: "search_docs", arguments: { query: "pelican plan", limit: 25 } }),
    );
    expect((found.passages as { documentId: string }[]).map((p) => p.documentId)).toEqual([openDoc]);
    // The owner sees the private project too, but still nothing of Globex.
    const owner = await w.connect(url, (await w.tokenFor(w.acme.ctx, ["read"])).token);
    const ownerFound = output(
      await owner.callTool({ name: "search_docs", arguments: { query: "pelican plan", limit: 25 } }),
    );
    expect((ownerFound.passages as { documentId: string }[]).map((p) => p.documentId).sort()).toEqual(
      [openDoc, secretDoc].sort(),
    );
  });

  it("lists readable documents as resources, page by page, and reads one as markdown", async () => {
    const url = await w.startAi();
    const documentId = await w.newDocument(w.acme.ctx, w.projectId, "Resource doc", "# Resource\n\nBody.\n");
    const client = await w.connect(url, (await w.tokenFor(w.member, ["read"])).token);
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates).toEqual([
      expect.objectContaining({ uriTemplate: "devflow://documents/{id}", mimeType: "text/markdown" }),
    ]);

    const uris: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listResources(cursor ? { cursor } : {});
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor);
    expect(uris).toContain(`devflow://documents/${documentId}`);
    expect(uris.every((uri) => uri.startsWith("devflow://documents/"))).toBe(true);
    expect(new Set(uris).size).toBe(uris.length);

    const read = await client.readResource({ uri: `devflow://documents/${documentId}` });
    expect(read.contents).toEqual([
      expect.objectContaining({ mimeType: "text/markdown", text: "# Resource\n\nBody.\n" }),
    ]);
  });

  it("keeps a session to the token that opened it", async () => {
    const url = await w.startAi();
    const mine = await w.tokenFor(w.member, ["read"]);
    const opened = await post(url, { authorization: `Bearer ${mine.token}` });
    const sessionId = opened.headers.get("mcp-session-id");
    expect(sessionId).toBeTruthy();
    expect(opened.headers.get("x-request-id")).toBeTruthy();
    const other = await w.tokenFor(w.acme.ctx, ["read"]);
    const hijack = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${other.token}`,
        "mcp-session-id": sessionId!,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(hijack.status).toBe(404);
  });
});
