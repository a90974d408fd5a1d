import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  describeTable,
  fillTenantTables,
  listTenantTables,
  rlsStatus,
  type TenantRows,
  type TestDatabase,
} from "./testing";

/**
 * Proves row-level security for every tenant table, discovered from the catalog so a new table is
 * covered the day it is added: organization A, through withTenant, cannot read, insert, update or
 * delete organization B's rows, and a transaction with no organization set sees nothing.
 */
let t: TestDatabase;
let tables: string[];
const orgA = randomUUID();
const orgB = randomUUID();
let rowsA: TenantRows;
let rowsB: TenantRows;
const insertable = new Map<string, string[]>();

beforeAll(async () => {
  t = await createTestDatabase();
  tables = await listTenantTables(t.owner);
  rowsA = await fillTenantTables(t.owner, orgA, tables);
  rowsB = await fillTenantTables(t.owner, orgB, tables);
  for (const table of tables) {
    const info = await describeTable(t.owner, table);
    insertable.set(table, info.columns.filter((c) => !c.isGenerated).map((c) => c.name));
  }
});

afterAll(async () => {
  await t?.drop();
});

const tenantKey = (table: string) => (table === "organizations" ? "id" : "organization_id");

describe("row-level security coverage", () => {
  it("enables, forces and keys a tenant policy on every table that has organization_id", async () => {
    const status = await rlsStatus(t.owner, tables);
    const offenders = status.filter((s) => !s.enabled || !s.forced || !s.hasTenantPolicy).map((s) => s.table);
    expect(offenders).toEqual([]);
    expect(status.map((s) => s.table).sort()).toEqual([...tables].sort());
    expect(tables.length).toBeGreaterThanOrEqual(30);
  });

  it("connects the apps as a role that is neither superuser nor BYPASSRLS", async () => {
    const [role] = await t.owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'devflow_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    if (t.target === "postgres") {
      const [session] = await t.db.withSystem("test: which role the pool logs in as", (tx) =>
        tx.$queryRaw<{ session_user: string }[]>`SELECT session_user::text`,
      );
      expect(session?.session_user).toBe("devflow_app");
    }
  });
});

describe("tenant isolation, table by table", () => {
  it("shows organization A only its own rows", async () => {
    for (const table of tables) {
      const key = tenantKey(table);
      const seen = await t.db.withTenant({ organizationId: orgA }, (tx) =>
        tx.$queryRawUnsafe<{ org: string }[]>(`SELECT "${key}"::text AS org FROM "${table}"`),
      );
      expect(seen.length, `${table}: A's own row`).toBeGreaterThan(0);
      expect(new Set(seen.map((r) => r.org)), `${table}: only A`).toEqual(new Set([orgA]));
    }
  });

  it("refuses to insert a row into another organization", async () => {
    for (const table of tables) {
      const columns = insertable.get(table)!;
      const theirs = { ...rowsB.get(table)!, ...(columns.includes("id") && table !== "organizations" && { id: randomUUID() }) };
      const attempt = t.db.withTenant({ organizationId: orgA }, (tx) =>
        tx.$executeRawUnsafe(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")})
           SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM json_populate_record(NULL::"${table}", $1::json)`,
          JSON.stringify(theirs),
        ),
      );
      await expect(attempt, table).rejects.toThrow(/row-level security/);
    }
  });

  it("cannot update another organization's rows, nor move its own rows there", async () => {
    for (const table of tables) {
      const key = tenantKey(table);
      const touched = await t.db.withTenant({ organizationId: orgA }, (tx) =>
        tx.$executeRawUnsafe(`UPDATE "${table}" SET "${key}" = "${key}" WHERE "${key}" = $1::uuid`, orgB),
      );
      expect(touched, `${table}: B's rows untouched`).toBe(0);
      if (table === "organizations") continue;
      const move = t.db.withTenant({ organizationId: orgA }, (tx) =>
        tx.$executeRawUnsafe(`UPDATE "${table}" SET organization_id = $1::uuid`, orgB),
      );
      await expect(move, `${table}: moving rows to B`).rejects.toThrow(/row-level security|violates foreign key/);
    }
  });

  it("cannot delete another organization's rows", async () => {
    for (const table of tables) {
      const key = tenantKey(table);
      const deleted = await t.db.withTenant({ organizationId: orgA }, (tx) =>
        tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "${key}" = $1::uuid`, orgB),
      );
      expect(deleted, table).toBe(0);
      const [still] = await t.owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${key}" = $1::uuid`,
        [orgB],
      );
      expect(still?.n, `${table}: B's row survives`).toBeGreaterThan(0);
    }
  });

  it("sees nothing when no organization is set", async () => {
    await t.owner.exec("BEGIN");
    try {
      await t.owner.exec("SET LOCAL ROLE devflow_app");
      for (const table of tables) {
        const [count] = await t.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
        expect(count?.n, table).toBe(0);
      }
    } finally {
      await t.owner.exec("ROLLBACK");
    }
  });

  it("keeps rows from pointing into another organization even by foreign key", async () => {
    const projectOfB = rowsB.get("projects")!.id as string;
    const attempt = t.db.withTenant({ organizationId: orgA }, (tx) =>
      tx.$executeRawUnsafe(
        `INSERT INTO documents (organization_id, project_id, title, updated_at) VALUES ($1::uuid, $2::uuid, 'x', now())`,
        orgA,
        projectOfB,
      ),
    );
    await expect(attempt).rejects.toThrow(/foreign key/);
  });
});

it("fixtures cover every tenant table for both organizations", () => {
  expect([...rowsA.keys()].sort()).toEqual([...tables].sort());
  expect([...rowsB.keys()].sort()).toEqual([...tables].sort());
});
