import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI tries to download its native schema engine for generate/validate/format even though
// those commands run on the bundled wasm engine. Point it at a placeholder so they work offline.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = path.join(import.meta.dirname, "node_modules", ".cache", "prisma-schema-engine-placeholder");
  if (!existsSync(placeholder)) {
    mkdirSync(path.dirname(placeholder), { recursive: true });
    writeFileSync(placeholder, "");
  }
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    // Migrations run as the database owner; the apps connect with DATABASE_URL as the RLS-bound role.
    url: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@localhost:5432/devflow",
  },
});
