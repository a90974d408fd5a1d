/**
 * Applies pending migrations:  npm run db:migrate
 * Server: MIGRATION_DATABASE_URL (the schema owner) or DATABASE_URL. Neither: the embedded
 * database under DATA_DIR. Equivalent to `prisma migrate deploy` where Prisma's engine is available.
 * With DATABASE_APP_PASSWORD (a deployment's migrate job), the apps' role then gets its login.
 */
import path from "node:path";
import { openEmbeddedPostgres } from "@devflow/db";
import { defaultMigrationsDir, enableAppLogin, migrateEmbedded, migratePostgres } from "@devflow/db/migrations";
import { ConfigError, loadConfig, MigrateConfigSchema } from "@devflow/util-config";

let config;
try {
  config = loadConfig("migrate", MigrateConfigSchema);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const dir = config.MIGRATIONS_DIR ?? defaultMigrationsDir();
const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
let result;
if (url) {
  result = await migratePostgres(url, dir);
  if (config.DATABASE_APP_PASSWORD) await enableAppLogin(url, config.DATABASE_APP_PASSWORD);
} else {
  if (config.DATABASE_APP_PASSWORD)
    console.warn("DATABASE_APP_PASSWORD is ignored: the embedded database has no logins.");
  const pglite = await openEmbeddedPostgres(path.join(config.DATA_DIR, "pglite"));
  result = await migrateEmbedded(pglite, dir);
  await pglite.close();
}
console.log(
  result.applied.length
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : "Database is up to date.",
);
if (config.DATABASE_APP_PASSWORD && url) console.log("The apps' role (devflow_app) can log in.");
