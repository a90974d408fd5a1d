import { defineConfig } from "vitest/config";

const shared = {
  exclude: ["**/node_modules/**", "**/.next/**", "**/dist/**", "e2e/**"],
};

/**
 * Integration files each make their own database and servers, and share no module state they rely
 * on, so a worker keeps its loaded modules from one file to the next: loading Prisma's client, the
 * services and their dependencies afresh for every file was more than half of these projects' time.
 */
const integration = { isolate: false, testTimeout: 30_000, hookTimeout: 60_000 };

/**
 * unit:                 pure logic beside the code (*.test.ts)
 * integration:          *.int.test.ts against the PostgreSQL server (TEST_DATABASE_URL)
 * integration-embedded: the same files against embedded PGlite, so both databases stay honest
 * deploy:               *.deploy.test.ts under infra, each app started from its image contents (after e2e)
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["{apps,libs,infra,prisma}/**/*.test.{ts,tsx}"],
          exclude: [...shared.exclude, "**/*.int.test.ts", "**/*.deploy.test.ts"],
          // Property tests run thousands of cases; on a loaded 2-core runner 5 s is not enough.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          ...shared,
          ...integration,
          name: "integration",
          include: ["{apps,libs,infra,prisma}/**/*.int.test.ts"],
          env: { DEVFLOW_TEST_DB: "postgres" },
        },
      },
      {
        test: {
          ...shared,
          name: "deploy",
          // Builds the apps' image contents and starts each as its container would; one file, run alone.
          include: ["infra/**/*.deploy.test.ts"],
          env: { DEVFLOW_TEST_DB: "postgres" },
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          ...shared,
          ...integration,
          name: "integration-embedded",
          include: ["{apps,libs,infra,prisma}/**/*.int.test.ts"],
          env: { DEVFLOW_TEST_DB: "embedded" },
          // One migrated database per run, loaded by every file (initdb in wasm costs ~3 s each).
          globalSetup: ["libs/db/src/testing/embedded-global-setup.ts"],
          // PGlite is single-threaded wasm; several at once only slow each other down.
          maxWorkers: 1,
        },
      },
    ],
  },
});
