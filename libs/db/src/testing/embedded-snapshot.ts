import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { openEmbeddedPostgres } from "../connect";
import { migrateEmbedded } from "../run-migrations";

/**
 * Where a migrated embedded database is kept for the integration-embedded test run. Creating a
 * PGlite database runs initdb inside wasm (about 3 s on this machine kind); loading a migrated copy
 * of its data directory takes a fifth of that. The snapshot is made fresh at the start of every
 * run from the current migrations, so it can never be stale.
 */
export const EMBEDDED_SNAPSHOT_ENV = "DEVFLOW_TEST_PGLITE_SNAPSHOT";

/** Creates and migrates an embedded database and writes its data directory to a tarball; returns its path. */
export async function writeEmbeddedSnapshot(
  file = path.join(tmpdir(), `devflow-pglite-${process.pid}.tar`),
): Promise<string> {
  const pglite = await openEmbeddedPostgres(undefined);
  try {
    await migrateEmbedded(pglite);
    const dump = await pglite.dumpDataDir("none");
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await pglite.close();
  }
}

/** A new in-memory embedded database loaded from the snapshot at `file`. */
export async function openEmbeddedFromSnapshot(file: string): Promise<PGlite> {
  const tarball = new Blob([await readFile(file)]);
  return PGlite.create({ loadDataDir: tarball, extensions: { vector } });
}

export async function removeEmbeddedSnapshot(file: string): Promise<void> {
  await rm(file, { force: true });
}
