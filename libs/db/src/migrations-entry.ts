export { migrate, readMigrations } from "./migrate";
export type { MigrateResult, Migration } from "./migrate";
export { defaultMigrationsDir, migrateEmbedded, migratePostgres } from "./run-migrations";
export { pgExecutor, pgliteExecutor } from "./sql-executor";
export type { SqlExecutor } from "./sql-executor";
export { withDatabaseName, withRole } from "./connection-url";
export { enableAppLogin, scramSha256Verifier } from "./app-login";
