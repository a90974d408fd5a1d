// Runs `prisma generate` after npm install. prisma.config.ts points the CLI at a placeholder
// schema engine so generate works without downloading Prisma's native binaries.
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", shell: false });
process.exit(result.status ?? 1);
