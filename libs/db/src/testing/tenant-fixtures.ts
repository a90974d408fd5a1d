import { randomUUID } from "node:crypto";
import type { SqlExecutor } from "../sql-executor";
import { describeTable, type TableInfo } from "./catalog";

/** One row per tenant table for one organization, keyed by table name, as the owner inserted it. */
export type TenantRows = Map<string, Record<string, unknown>>;

/**
 * Inserts, as the owner, one schema-valid row into every tenant table for the organization,
 * filling required columns from their types and foreign keys from the rows made before. Generic
 * on purpose: a table added later is covered by the isolation suite without anyone writing a fixture.
 */
export async function fillTenantTables(owner: SqlExecutor, organizationId: string, tables: string[]): Promise<TenantRows> {
  const infos = new Map<string, TableInfo>();
  for (const table of [...tables, "users"]) infos.set(table, await describeTable(owner, table));
  const rows: TenantRows = new Map();
  const tag = organizationId.slice(0, 8);

  for (const table of insertionOrder(infos)) {
    const info = infos.get(table)!;
    const values: Record<string, unknown> = {};
    for (const fk of info.foreignKeys) {
      const parent = rows.get(fk.refTable);
      const required = fk.columns.some((c) => !info.columns.find((col) => col.name === c)?.isNullable);
      if (!parent || (!required && fk.refTable === table)) continue;
      fk.columns.forEach((column, i) => (values[column] = parent[fk.refColumns[i]!]));
    }
    for (const column of info.columns) {
      if (column.name in values || column.isGenerated) continue;
      if (column.name === "organization_id") values[column.name] = organizationId;
      else if (column.name === "id" && table === "organizations") values[column.name] = organizationId;
      else if (column.name === "id" && column.udtName === "uuid") values[column.name] = randomUUID();
      else if (!column.isNullable && !column.hasDefault) values[column.name] = await sampleValue(owner, column.udtName, column.dataType, `${table}-${column.name}-${tag}-${randomUUID().slice(0, 8)}`);
    }
    const names = Object.keys(values);
    const inserted = await owner.query<Record<string, unknown>>(
      `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")})
       SELECT ${names.map((n) => `"${n}"`).join(", ")} FROM json_populate_record(NULL::"${table}", $1::json)
       RETURNING *`,
      [JSON.stringify(values)],
    );
    rows.set(table, inserted[0]!);
  }
  rows.delete("users");
  return rows;
}

/** Parents before children, following foreign keys (self-references ignored). */
function insertionOrder(infos: Map<string, TableInfo>): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (order.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const fk of infos.get(table)?.foreignKeys ?? []) {
      if (fk.refTable !== table && infos.has(fk.refTable)) visit(fk.refTable);
    }
    order.push(table);
  };
  [...infos.keys()].sort().forEach(visit);
  return order;
}

async function sampleValue(owner: SqlExecutor, udtName: string, dataType: string, text: string): Promise<unknown> {
  if (dataType === "ARRAY") return [];
  if (dataType === "USER-DEFINED") {
    const labels = await owner.query<{ label: string }>(
      `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
        WHERE t.typname = $1 ORDER BY e.enumsortorder LIMIT 1`,
      [udtName],
    );
    if (labels[0]) return labels[0].label;
    return null;
  }
  switch (udtName) {
    case "uuid":
      return randomUUID();
    case "text":
    case "varchar":
      return text.includes("email") ? `${text}@example.test` : text;
    case "int2":
    case "int4":
    case "int8":
    case "numeric":
      return 1;
    case "bool":
      return false;
    case "timestamptz":
    case "timestamp":
      return new Date().toISOString();
    case "jsonb":
    case "json":
      return {};
    case "bytea":
      return "\\x00";
    default:
      throw new Error(`fillTenantTables: no sample value for type ${udtName}; teach sampleValue about it`);
  }
}
