/**
 * Applies pending migrations:  npm run db:migrate
 * Server: MIGRATION_DATABASE_URL (the schema owner) or DATABASE_URL. Neither: the embedded
 * database under DATA_DIR. Equivalent to `prisma migrate deploy` where Prisma's engine is available.
 */
import path from "node:path";
import { openEmbeddedPostgres } from "@devflow/db";
import { migrateEmbedded, migratePostgres } from "@devflow/db/migrations";

const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
let result;
if (url) {
  result = await migratePostgres(url);
} else {
  const pglite = await openEmbeddedPostgres(path.join(process.env.DATA_DIR ?? ".data", "pglite"));
  result = await migrateEmbedded(pglite);
  await pglite.close();
}
console.log(
  result.applied.length ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}` : "Database is up to date.",
);
