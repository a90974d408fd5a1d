/**
 * Writes a new Prisma-format migration with the SQL that takes the schema from what the existing
 * migrations produce to prisma/schema.prisma:  npm run db:diff -- <name>
 *
 * `prisma migrate dev` needs Prisma's native schema engine, which cannot be downloaded everywhere,
 * so this drives the same engine's WebAssembly build. It diffs two datamodels — the snapshot saved
 * beside the migrations when the last one was written, and the current schema — so it reads no
 * database (though the engine wants a connection: MIGRATION_DATABASE_URL, default the local server), and SQL that only the migrations know (row-level security, the full-text column) is
 * never proposed for removal. Review the SQL before committing: a new tenant table also needs its
 * row-level-security lines (the isolation suite fails until it has them).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { SchemaEngine } from "@prisma/schema-engine-wasm";

const root = path.resolve(import.meta.dirname, "..", "..");
const migrationsDir = path.join(root, "prisma", "migrations");
const snapshotFile = path.join(migrationsDir, "schema.snapshot.prisma");
const schemaFile = path.join(root, "prisma", "schema.prisma");

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}

const schema = await readFile(schemaFile, "utf8");
const snapshot = existsSync(snapshotFile) ? await readFile(snapshotFile, "utf8") : null;

// The engine insists on a live driver adapter even though diffing two datamodels reads no tables.
const serverUrl = process.env.MIGRATION_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: serverUrl }));
const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, adapter);
const { stdout } = await engine.diff({
  from: snapshot === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "snapshot.prisma", content: snapshot }] },
  to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});

const sql = (stdout ?? "").trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("prisma/schema.prisma matches the migrations: nothing to write.");
} else {
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql + "\n");
  await writeFile(snapshotFile, schema);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql and updated the schema snapshot`);
}
process.exit(0);
