/**
 * Assembles what one app's container image holds, in a directory laid out as the image's /app:
 * the Dockerfiles run this in their build stage, and the deploy tests run it to start each app
 * exactly as its container would.
 *
 *   tsx infra/build/build-app.ts <web|worker|collab|ai> --out <dir> [--reuse-next-build]
 *
 * collab, ai, worker: one ES module bundle (main.mjs) holding the app, the workspace libs and their
 * npm dependencies, so the image needs Node and nothing else. The worker image also carries the
 * migration command (migrate.mjs) and the migrations, for the deployment's migrate job.
 * web: Next.js's standalone output (the server build plus the node_modules it traced) with the
 * custom server bundled as apps/web/server.mjs in place of Next's generated server.js.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";

export const APPS = ["web", "worker", "collab", "ai"] as const;
export type App = (typeof APPS)[number];

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const webDir = path.join(repoRoot, "apps", "web");

/** ES modules have no `require`; bundled CommonJS packages still call it (and read __dirname). */
const ESM_REQUIRE_BANNER = [
  "import { createRequire as __devflowCreateRequire } from 'node:module';",
  "import { fileURLToPath as __devflowFileURLToPath } from 'node:url';",
  "const require = __devflowCreateRequire(import.meta.url);",
  "const __filename = __devflowFileURLToPath(import.meta.url);",
  "const __dirname = __devflowFileURLToPath(new URL('.', import.meta.url));",
].join("\n");

const NODE_BUNDLE = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  banner: { js: ESM_REQUIRE_BANNER },
  legalComments: "none",
  logLevel: "warning",
} as const;

/**
 * React and other libraries drop their development checks only when NODE_ENV is replaced at build
 * time. Not in the web server's bundle: server.ts sets NODE_ENV at run time, before Next reads it.
 */
const PRODUCTION_ONLY = { define: { "process.env.NODE_ENV": '"production"' } };

export interface BuildOptions {
  /** Use the `next build` output already in apps/web/.next (the e2e run makes one) instead of building. */
  reuseNextBuild?: boolean;
}

export async function buildApp(app: App, outDir: string, options: BuildOptions = {}): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  if (app === "web") return buildWeb(outDir, options);

  await build({
    ...NODE_BUNDLE,
    ...PRODUCTION_ONLY,
    entryPoints: [path.join(repoRoot, "apps", app, "src", "main.ts")],
    outfile: path.join(outDir, "main.mjs"),
  });
  if (app === "worker") {
    await build({
      ...NODE_BUNDLE,
      ...PRODUCTION_ONLY,
      entryPoints: [path.join(repoRoot, "prisma", "migrate.ts")],
      outfile: path.join(outDir, "migrate.mjs"),
    });
    await copyMigrations(path.join(outDir, "migrations"));
  }
}

async function copyMigrations(target: string) {
  const source = path.join(repoRoot, "prisma", "migrations");
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.isDirectory())
      await cp(path.join(source, entry.name), path.join(target, entry.name), { recursive: true });
  }
}

async function buildWeb(outDir: string, { reuseNextBuild }: BuildOptions) {
  const distDir = path.join(webDir, ".next");
  const standalone = path.join(distDir, "standalone");
  if (!(reuseNextBuild && (await exists(path.join(standalone, "apps", "web", ".next", "BUILD_ID"))))) {
    const next = spawnSync("npm", ["run", "build", "-w", "@devflow/web", "--silent"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    if (next.status !== 0) throw new Error(`next build failed (exit ${next.status ?? next.signal})`);
  }
  await cp(standalone, outDir, { recursive: true, verbatimSymlinks: true });
  const appOut = path.join(outDir, "apps", "web");
  // Next's own server.js would start Next without the request ids, metrics and shutdown server.ts adds.
  await rm(path.join(appOut, "server.js"), { force: true });
  // The standalone output leaves the browser assets out: a CDN may serve them, here the server does.
  await cp(path.join(distDir, "static"), path.join(appOut, ".next", "static"), { recursive: true });
  if (await exists(path.join(webDir, "public")))
    await cp(path.join(webDir, "public"), path.join(appOut, "public"), { recursive: true });

  const tracedModules = path.join(outDir, "node_modules");
  await build({
    ...NODE_BUNDLE,
    entryPoints: [path.join(webDir, "server.ts")],
    outfile: path.join(appOut, "server.mjs"),
    plugins: [useTracedPackages(tracedModules)],
  });
}

/**
 * Packages the web server must share with the route handlers rather than bundle a second copy of:
 * Next itself, React, and prom-client (one metrics registry per process). Next traced them into
 * node_modules in full because the routes load them; anything else server.ts uses is bundled, as
 * the traced copies hold only the files the routes need.
 */
const SHARED_WITH_NEXT = new Set(["next", "react", "react-dom", "prom-client"]);

function useTracedPackages(nodeModules: string): Plugin {
  return {
    name: "use-traced-packages",
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, async ({ path: specifier }) => {
        if (specifier.startsWith("node:")) return { external: true };
        const name = packageName(specifier);
        if (!SHARED_WITH_NEXT.has(name)) return undefined;
        if (!(await exists(path.join(nodeModules, name, "package.json")))) {
          throw new Error(`${name} is not in Next's traced node_modules; the web server cannot share it`);
        }
        return { external: true };
      });
    },
  };
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string" }, "reuse-next-build": { type: "boolean", default: false } },
  });
  const app = positionals[0] as App | undefined;
  if (!app || !APPS.includes(app) || !values.out) {
    process.stderr.write(`usage: tsx infra/build/build-app.ts <${APPS.join("|")}> --out <dir> [--reuse-next-build]\n`);
    process.exit(2);
  }
  const outDir = path.resolve(values.out);
  await buildApp(app, outDir, { reuseNextBuild: values["reuse-next-build"] });
  console.log(`${app}: assembled in ${outDir}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main();
