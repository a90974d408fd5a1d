import type { SqlExecutor } from "../sql-executor";

export interface ColumnInfo {
  name: string;
  udtName: string;
  dataType: string;
  isNullable: boolean;
  hasDefault: boolean;
  isGenerated: boolean;
}

export interface ForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  foreignKeys: ForeignKey[];
}

/** Tables that hold an organization's data: every table with organization_id, plus organizations. */
export async function listTenantTables(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'organization_id'
      ORDER BY table_name`,
  );
  return ["organizations", ...rows.map((r) => r.table_name)];
}

export async function describeTable(db: SqlExecutor, table: string): Promise<TableInfo> {
  const columns = await db.query<{
    column_name: string;
    udt_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_generated: string;
  }>(
    `SELECT column_name, udt_name, data_type, is_nullable, column_default, is_generated
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1
      ORDER BY ordinal_position`,
    [table],
  );
  const fks = await db.query<{ columns: string[]; ref_table: string; ref_columns: string[] }>(
    `SELECT array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            c.confrelid::regclass::text AS ref_table,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.conrelid = $1::regclass`,
    [`public."${table}"`],
  );
  return {
    name: table,
    columns: columns.map((c) => ({
      name: c.column_name,
      udtName: c.udt_name,
      dataType: c.data_type,
      isNullable: c.is_nullable === "YES",
      hasDefault: c.column_default !== null,
      isGenerated: c.is_generated === "ALWAYS",
    })),
    foreignKeys: fks.map((f) => ({
      columns: f.columns,
      refTable: f.ref_table.replace(/^"|"$/g, ""),
      refColumns: f.ref_columns,
    })),
  };
}

export interface RlsStatus {
  table: string;
  enabled: boolean;
  forced: boolean;
  /** True when a policy's USING and WITH CHECK both key on app.current_organization. */
  hasTenantPolicy: boolean;
}

export async function rlsStatus(db: SqlExecutor, tables: string[]): Promise<RlsStatus[]> {
  const rows = await db.query<{ table: string; enabled: boolean; forced: boolean; tenant_policies: number }>(
    `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
            (SELECT count(*)::int FROM pg_policies p
              WHERE p.schemaname = 'public' AND p.tablename = c.relname
                AND p.qual LIKE '%NULLIF(current_setting(''app.current_organization''::text, true), ''''::text)%'
                AND p.with_check LIKE '%NULLIF(current_setting(''app.current_organization''::text, true), ''''::text)%'
            ) AS tenant_policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])`,
    [tables],
  );
  return rows.map((r) => ({ table: r.table, enabled: r.enabled, forced: r.forced, hasTenantPolicy: r.tenant_policies > 0 }));
}
