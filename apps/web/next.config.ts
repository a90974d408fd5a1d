import path from "node:path";
import type { NextConfig } from "next";

const repoRoot = path.resolve(import.meta.dirname, "../..");

const nextConfig: NextConfig = {
  // The workspace libs ship TypeScript source (`exports: ./src/index.ts`).
  transpilePackages: [
    "@devflow/ai-assistant",
    "@devflow/ai-llm",
    "@devflow/ai-rag",
    "@devflow/ai-tools",
    "@devflow/auth",
    "@devflow/collab-ot",
    "@devflow/contracts",
    "@devflow/domain-agent-ledger",
    "@devflow/domain-ai-activity",
    "@devflow/domain-api-tokens",
    "@devflow/domain-chat",
    "@devflow/domain-audit",
    "@devflow/domain-comments",
    "@devflow/domain-scim",
    "@devflow/domain-sign-in",
    "@devflow/domain-sso",
    "@devflow/domain-templates",
    "@devflow/domain-triage",
    "@devflow/domain-workflows",
    "@devflow/mail",
    "@devflow/db",
    "@devflow/domain-documents",
    "@devflow/domain-dora",
    "@devflow/domain-files",
    "@devflow/domain-integrations",
    "@devflow/domain-notifications",
    "@devflow/domain-oauth",
    "@devflow/domain-organizations",
    "@devflow/domain-projects",
    "@devflow/domain-release-readiness",
    "@devflow/events",
    "@devflow/extract",
    "@devflow/observability",
    "@devflow/storage",
    "@devflow/util-config",
    "@devflow/util-core",
    "@devflow/web-data-access",
    "@devflow/web-ui",
  ],
  // Loaded by Node at run time instead of bundled: native/wasm pieces, worker threads, and
  // libraries whose module identity matters across route bundles (prom-client registries).
  serverExternalPackages: [
    "@prisma/client",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "pg-boss",
    "pino",
    "prom-client",
    "nodemailer",
    // Model and vector-store SDKs: Node clients with their own runtime dependencies, loaded as they ship.
    "openai",
    "@anthropic-ai/sdk",
    "@google/genai",
    "@pinecone-database/pinecone",
    "@google-cloud/pubsub",
    // Uploads: the Cloud Storage client, text extraction (PDF.js inside unpdf, mammoth) and clamd.
    "@google-cloud/storage",
    "unpdf",
    "mammoth",
    "clamscan",
    // The SAML bridge: optional drivers it requires lazily (typeorm, mongodb, redis, aws-sdk) and
    // one process-wide instance that every route must share.
    "@boxyhq/saml-jackson",
  ],
  // Workspace libs live outside apps/web; resolve and trace from the repository root.
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // Two stacks building at once (a second e2e run beside a first) each need their own output.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // `npm test` type-checks every project before the browser tests build the app; it says so with
  // this variable, and the build skips checking the same code a second time.
  typescript: { ignoreBuildErrors: process.env.DEVFLOW_WEB_TYPECHECKED === "1" },
  // The container image runs this trimmed copy (server files plus the node_modules they use),
  // not the whole workspace; infra/build assembles it with the custom server.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
