import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { WEB_URL } from "./support/ports";

const repoRoot = path.resolve(import.meta.dirname, "..");
const isCi = !!process.env.CI;

/**
 * Browser end-to-end tests. Run from the repo root with `npx playwright test -c e2e/playwright.config.ts`
 * (or as part of `npm test`). Uses Debian's Chromium at /usr/bin/chromium, never a downloaded browser:
 * install with `apt-get install -y chromium` and keep PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1.
 */
export default defineConfig({
  testDir: "./tests",
  // Artifacts (traces, screenshots) live beside, not inside, the JSON report: Playwright empties
  // outputDir at start, and scripts/test.mjs reads test-results/e2e.json and the vitest reports.
  outputDir: path.join(repoRoot, "test-results", "e2e-artifacts"),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: isCi,
  retries: isCi ? 1 : 0,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : undefined,
  reporter: [["list"], ["json", { outputFile: path.join(repoRoot, "test-results", "e2e.json") }]],

  // The deployed shape: the web app's production build plus collab, ai and worker as their own
  // processes, on a fresh, seeded database (support/stack.ts), which starts web last, once the others are ready.
  webServer: [
    {
      command: "npm run build -w @devflow/web --silent && npx --no-install tsx e2e/support/stack.ts",
      cwd: repoRoot,
      url: `${WEB_URL}/health/ready`,
      // The production build takes 2–3 minutes on a quiet 2-core machine and much longer on a busy one.
      timeout: 600_000,
      reuseExistingServer: !isCi && !!process.env.E2E_REUSE,
      // SIGTERM first so stack.ts stops the apps cleanly (they drain), then Playwright kills the group.
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],

  use: {
    baseURL: process.env.E2E_BASE_URL ?? WEB_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },

  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
});
