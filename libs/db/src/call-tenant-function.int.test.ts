import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fillTenantTables, type TestDatabase } from "./testing";

/**
 * callTenantFunction runs a function outside any transaction, so the function's own
 * `enter_tenant` is all that stands between it and other organizations' rows. These functions
 * are written the way the contract asks, and the tests check that row-level security binds them.
 */
let t: TestDatabase;
const orgA = randomUUID();
const orgB = randomUUID();
let documentOfA: string;
let documentOfB: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const tables = ["organizations", "projects", "documents"];
  documentOfA = (await fillTenantTables(t.owner, orgA, tables)).get("documents")!.id as string;
  documentOfB = (await fillTenantTables(t.owner, orgB, tables)).get("documents")!.id as string;
  await t.owner.exec(`
    CREATE FUNCTION test_whoami(p_organization_id uuid)
    RETURNS TABLE (role text, org text) LANGUAGE plpgsql SECURITY INVOKER AS $$
    BEGIN
      PERFORM enter_tenant(p_organization_id);
      RETURN QUERY SELECT current_user::text, current_setting('app.current_organization', true);
    END $$;
    CREATE FUNCTION test_retitle_document(p_organization_id uuid, p_document_id uuid, p_title text)
    RETURNS TABLE (id uuid) LANGUAGE plpgsql SECURITY INVOKER AS $$
    BEGIN
      PERFORM enter_tenant(p_organization_id);
      RETURN QUERY UPDATE documents d SET title = p_title WHERE d.id = p_document_id RETURNING d.id;
    END $$;
    CREATE FUNCTION test_insert_document(p_organization_id uuid, p_into_organization_id uuid, p_project_id uuid)
    RETURNS TABLE (id uuid) LANGUAGE plpgsql SECURITY INVOKER AS $$
    BEGIN
      PERFORM enter_tenant(p_organization_id);
      RETURN QUERY INSERT INTO documents (organization_id, project_id, title, updated_at)
        VALUES (p_into_organization_id, p_project_id, 'planted', now()) RETURNING documents.id;
    END $$;`);
});

afterAll(async () => {
  await t?.drop();
});

const titleOf = async (documentId: string) =>
  (await t.owner.query<{ title: string }>(`SELECT title FROM documents WHERE id = $1::uuid`, [documentId]))[0]?.title;

describe("callTenantFunction", () => {
  it("runs the function as the app role in the organization, for the call only", async () => {
    const seen = await t.db.callTenantFunction<{ role: string; org: string }>(
      { organizationId: orgA },
      "test_whoami",
      [],
    );
    expect(seen).toEqual([{ role: "devflow_app", org: orgA }]);
    const after = await t.db.withSystem(
      "test: setting must not outlive the call",
      (tx) => tx.$queryRaw<{ org: string | null }[]>`SELECT current_setting('app.current_organization', true) AS org`,
    );
    expect(after[0]?.org ?? "").toBe("");
  });

  it("commits the function's writes in its own organization", async () => {
    const moved = await t.db.callTenantFunction<{ id: string }>({ organizationId: orgA }, "test_retitle_document", [
      documentOfA,
      "mine",
    ]);
    expect(moved.map((r) => r.id)).toEqual([documentOfA]);
    expect(await titleOf(documentOfA)).toBe("mine");
  });

  it("cannot update another organization's document, even given its id", async () => {
    const before = await titleOf(documentOfB);
    const moved = await t.db.callTenantFunction<{ id: string }>({ organizationId: orgA }, "test_retitle_document", [
      documentOfB,
      "intruder",
    ]);
    expect(moved).toEqual([]);
    expect(await titleOf(documentOfB)).toBe(before);
  });

  it("cannot write a row into another organization", async () => {
    const [project] = await t.owner.query<{ id: string }>(`SELECT id FROM projects WHERE organization_id = $1::uuid`, [
      orgB,
    ]);
    const attempt = t.db.callTenantFunction({ organizationId: orgA }, "test_insert_document", [orgB, project!.id]);
    await expect(attempt).rejects.toThrow(/row-level security/);
  });

  it("rejects a malformed organization id or function name before touching the database", async () => {
    await expect(t.db.callTenantFunction({ organizationId: "acme" }, "test_whoami", [])).rejects.toThrow(
      /needs an organization id/,
    );
    await expect(
      t.db.callTenantFunction({ organizationId: orgA }, `test_whoami"($1); DROP TABLE documents; --`, []),
    ).rejects.toThrow(/plain function name/);
  });
});
