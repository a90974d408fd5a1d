import { EMBEDDED_SNAPSHOT_ENV, removeEmbeddedSnapshot, writeEmbeddedSnapshot } from "./embedded-snapshot";

/**
 * Vitest global setup for the integration-embedded project: one migrated embedded database per
 * run, which every test file's createTestDatabase() loads instead of running initdb and the
 * migrations again. Test workers start after this and inherit the environment variable.
 */
export default async function setup() {
  const file = await writeEmbeddedSnapshot();
  process.env[EMBEDDED_SNAPSHOT_ENV] = file;
  return () => removeEmbeddedSnapshot(file);
}
