import { testDatabaseTarget } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollabProcess, type CollabProcess } from "./testing/collab-process";
import { useMcpWorkspace } from "./testing/mcp-workspace";
import { SocketEditor } from "./testing/socket-editor";

/**
 * edit_doc end to end: an MCP client's edit goes through a real collab service (its own process,
 * on the same database) while a person types in the same document, and lands transformed over
 * their typing, with nobody's text lost and the agent shown in presence.
 */
const w = useMcpWorkspace();
// The collab process needs its own connection to the database; PGlite lives inside this process.
const onServer = testDatabaseTarget() === "postgres";
let collab: CollabProcess | undefined;

beforeAll(async () => {
  if (onServer) collab = await startCollabProcess(w.t.appUrl!, w.signer);
});
afterAll(async () => {
  await collab?.stop();
});

function result(raw: unknown): Record<string, unknown> {
  const r = raw as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent as Record<string, unknown>;
}

describe.skipIf(!onServer)("edit_doc through the live collab service", () => {
  it("merges the agent's edit with a person's concurrent typing, losing nobody's text, and shows the agent", async () => {
    const base = "# Rollout\n\nWe ship on Monday.\n\n## Risks\nNone known.\n";
    const documentId = await w.newDocument(w.acme.ctx, w.projectId, "Rollout plan", base);
    const person = await SocketEditor.open(
      collab!.url,
      (
        await w.signer.sign(
          { userId: w.acme.owner.id, organizationId: w.acme.organization.id, role: "owner" },
          { audience: "devflow-collab" },
        )
      ).token,
      documentId,
    );
    const url = await w.startAi(collab!.url);
    const client = await w.connect(url, (await w.tokenFor(w.member, ["read", "write"])).token, "Claude");

    // The agent read the text at v0; the person keeps typing at the top while its edit is on the way.
    const friday = base.indexOf("Monday");
    const risks = base.indexOf("None known.");
    const editing = client.callTool({
      name: "edit_doc",
      arguments: {
        documentId,
        baseVersion: 0,
        edits: [
          { start: friday, end: friday + "Monday".length, text: "Friday" },
          { start: risks, end: risks + "None known.".length, text: "The queue may back up; we watch its depth." },
        ],
      },
    });
    const typed: string[] = [];
    for (let i = 0; i < 12; i++) {
      const word = `w${i} `;
      typed.push(word);
      person.type(0, word);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const edited = result(await editing);
    expect(edited).toMatchObject({ documentId, changed: true });
    expect(edited.diff).toContain("-We ship on Monday.");
    expect(edited.diff).toContain("+We ship on Friday.");

    await expect.poll(() => person.isSynced, { timeout: 10_000 }).toBe(true);
    const stored = await createDocumentsService(w.t.db).get(w.acme.ctx, documentId);
    expect(person.text).toBe(stored.content);
    expect(stored.content).toBe(
      `${[...typed].reverse().join("")}# Rollout\n\nWe ship on Friday.\n\n## Risks\nThe queue may back up; we watch its depth.\n`,
    );
    // The person's first words were committed before the agent's op arrived: it was transformed over them.
    expect(edited.concurrentOps).toBeGreaterThanOrEqual(1);
    expect(stored.version).toBeGreaterThanOrEqual(edited.version as number);

    // The person sees who made the change, and where.
    await expect
      .poll(() => person.presence.find((p) => p.user.agent))
      .toMatchObject({
        user: { id: w.member.actor.userId, name: "Mia", agent: "Claude via MCP" },
      });
    const caret = person.presence.find((p) => p.user.agent)!.selection!.head;
    expect(stored.content.slice(0, caret)).toMatch(/we watch its depth\.$/);

    // The text the agent based its edit on is still there in history.
    const before = result(await client.callTool({ name: "get_doc", arguments: { documentId, version: 0 } }));
    expect(before.text).toBe(base);
    person.close();
  });

  it("refuses an edit based on a version the document never had", async () => {
    const documentId = await w.newDocument(w.acme.ctx, w.projectId, "Short", "abc");
    const url = await w.startAi(collab!.url);
    const client = await w.connect(url, (await w.tokenFor(w.member, ["read", "write"])).token);
    const refused = (await client.callTool({
      name: "edit_doc",
      arguments: { documentId, baseVersion: 5, edits: [{ start: 0, end: 0, text: "x" }] },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { code: "not_found" } });
  });
});
