import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fillTenantTables, type TestDatabase } from "./testing";

/**
 * callTenantFunction runs a function outside any transaction, so the function's own
 * `enter_tenant` is all that stands between it and other organizations' rows. These functions
 * are written the way the contract asks, and the tests check that row-level security binds them,
 * through Prisma (callTenantFunction) and straight through the pool (callTenantFunctionDirect).
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
    CREATE FUNCTION test_session_organization(p_organization_id uuid)
    RETURNS TABLE (org text) LANGUAGE sql SECURITY INVOKER AS $$
      SELECT current_setting('app.current_organization', true);
    $$;
    CREATE FUNCTION test_typed_row(p_organization_id uuid, p_id uuid)
    RETURNS TABLE (id uuid, label text, flag boolean, count integer) LANGUAGE plpgsql SECURITY INVOKER AS $$
    BEGIN
      PERFORM enter_tenant(p_organization_id);
      RETURN QUERY SELECT p_id, 'row'::text, true, 42;
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

/** How many connections createTestDatabase's pool holds (PGlite is one). */
const poolSize = () => (t.target === "embedded" ? 1 : 5);

describe.each(["callTenantFunction", "callTenantFunctionDirect"] as const)("%s", (method) => {
  const call = <T>(organizationId: string, name: string, args: readonly unknown[]) =>
    t.db[method]<T>({ organizationId }, name, args);

  it("runs the function as the app role in the organization, for the call only", async () => {
    const seen = await call<{ role: string; org: string }>(orgA, "test_whoami", []);
    expect(seen).toEqual([{ role: "devflow_app", org: orgA }]);
    const after = await t.db.withSystem(
      "test: setting must not outlive the call",
      (tx) => tx.$queryRaw<{ org: string | null }[]>`SELECT current_setting('app.current_organization', true) AS org`,
    );
    expect(after[0]?.org ?? "").toBe("");
  });

  it("commits the function's writes in its own organization", async () => {
    const moved = await call<{ id: string }>(orgA, "test_retitle_document", [documentOfA, `mine via ${method}`]);
    expect(moved.map((r) => r.id)).toEqual([documentOfA]);
    expect(await titleOf(documentOfA)).toBe(`mine via ${method}`);
  });

  it("cannot update another organization's document, even given its id", async () => {
    const before = await titleOf(documentOfB);
    const moved = await call<{ id: string }>(orgA, "test_retitle_document", [documentOfB, "intruder"]);
    expect(moved).toEqual([]);
    expect(await titleOf(documentOfB)).toBe(before);
  });

  it("cannot write a row into another organization", async () => {
    const [project] = await t.owner.query<{ id: string }>(`SELECT id FROM projects WHERE organization_id = $1::uuid`, [
      orgB,
    ]);
    const attempt = call(orgA, "test_insert_document", [orgB, project!.id]);
    await expect(attempt).rejects.toThrow(/row-level security/);
  });

  it("rejects a malformed organization id or function name before touching the database", async () => {
    await expect(call("acme", "test_whoami", [])).rejects.toThrow(/needs an organization id/);
    await expect(call(orgA, `test_whoami"($1); DROP TABLE documents; --`, [])).rejects.toThrow(/plain function name/);
  });

  it("leaves no organization set on any pooled connection once the calls return", async () => {
    // As many calls at once as the pool has connections, so each runs on its own; then a probe on
    // each connection that reads the session's setting without entering a tenant.
    const calls = Array.from({ length: poolSize() }, () => call(orgA, "test_whoami", []));
    expect(await Promise.all(calls)).toEqual(calls.map(() => [{ role: "devflow_app", org: orgA }]));
    const probes = Array.from({ length: poolSize() }, () =>
      call<{ org: string | null }>(orgB, "test_session_organization", []),
    );
    for (const [row] of await Promise.all(probes)) expect(row?.org ?? "").toBe("");
  });

  it("returns uuid, text, boolean and integer columns as strings, booleans and numbers", async () => {
    const id = randomUUID();
    expect(await call(orgA, "test_typed_row", [id])).toEqual([{ id, label: "row", flag: true, count: 42 }]);
  });
});
