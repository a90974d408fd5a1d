import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";

it("has a migration for every change to schema.prisma (run `npm run db:diff -- <name>` if this fails)", async () => {
  const [schema, snapshot] = await Promise.all([
    readFile(path.join(import.meta.dirname, "schema.prisma"), "utf8"),
    readFile(path.join(import.meta.dirname, "migrations", "schema.snapshot.prisma"), "utf8"),
  ]);
  expect(schema).toBe(snapshot);
});
