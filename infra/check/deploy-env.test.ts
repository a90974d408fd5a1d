import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  AiConfigSchema,
  CollabConfigSchema,
  loadConfig,
  MigrateConfigSchema,
  schemaVariables,
  WebConfigSchema,
  WorkerConfigSchema,
} from "@devflow/util-config";
import { parse as parseConnectionString } from "pg-connection-string";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { DEPLOYED, deployedEnvironments, IMAGE_OF, type Deployed, type DeployedEnvironment } from "./deploy-env";
import { k8sValueKeys } from "./terraform";

const SCHEMAS: Record<Deployed, z.ZodType> = {
  web: WebConfigSchema,
  worker: WorkerConfigSchema,
  migrate: MigrateConfigSchema,
  collab: CollabConfigSchema,
  ai: AiConfigSchema,
};

/** Read by Node.js or Next.js themselves, not by an app's config. */
const RUNTIME_VARIABLES = new Set(["NODE_ENV", "NEXT_TELEMETRY_DISABLED", "NODE_EXTRA_CA_CERTS"]);

/**
 * A production-shaped value for every variable a deploy file may set, so each app's schema can be
 * run over exactly what a deployment gives it. A variable missing here fails the test: add one.
 */
const SAMPLE: Record<string, string> = {
  DEVFLOW_ENV: "production",
  LOG_LEVEL: "info",
  NODE_EXTRA_CA_CERTS: "/var/run/secrets/devflow/redis-ca",
  DATA_DIR: "/tmp/devflow",
  SHUTDOWN_TIMEOUT_MS: "25000",
  PORT: "8080",
  COLLAB_PORT: "3001",
  AI_PORT: "3002",
  DATABASE_URL: "postgresql://devflow_app:pw@10.20.0.3:5432/devflow?sslmode=require",
  MIGRATION_DATABASE_URL: "postgresql://devflow_owner:pw@10.20.0.3:5432/devflow?sslmode=require",
  DATABASE_APP_PASSWORD: "a-long-generated-password-0123456789",
  MIGRATIONS_DIR: "/app/migrations",
  DATABASE_POOL_MAX: "10",
  REDIS_URL: "rediss://:auth@10.20.1.4:6378",
  SESSION_SECRET: "s".repeat(48),
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  SERVICE_TOKEN_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----",
  SERVICE_TOKEN_JWKS_URL: "https://app.devflow.example.com/.well-known/jwks.json",
  PUBLIC_URL: "https://app.devflow.example.com",
  COLLAB_PUBLIC_URL: "https://collab.devflow.example.com",
  AI_PUBLIC_URL: "https://ai.devflow.example.com",
  MCP_RESOURCE_URL: "https://ai.devflow.example.com/mcp",
  WORKER_PUBLIC_URL: "https://devflow-production-worker-123456789012.europe-west1.run.app",
  WEB_INTERNAL_URL: "https://devflow-production-web-123456789012.europe-west1.run.app",
  COLLAB_INTERNAL_URL: "http://collab.devflow.svc.cluster.local:3001",
  BLOB_STORE: "gcs",
  GCS_BUCKET: "devflow-production-files",
  GCS_PROJECT_ID: "devflow-prod",
  EVENT_BUS: "pubsub",
  PUBSUB_PROJECT_ID: "devflow-prod",
  PUBSUB_TOPIC_PREFIX: "devflow.",
  PUBSUB_DELIVERY: "push",
  PUBSUB_PUSH_AUDIENCE: "https://devflow-production-worker-123456789012.europe-west1.run.app/pubsub/push",
  PUBSUB_PUSH_SERVICE_ACCOUNT: "devflow-production-push@devflow-prod.iam.gserviceaccount.com",
  SMTP_URL: "smtp://mailer:pw@smtp.example.com:587",
  MAIL_FROM: "DevFlow <no-reply@devflow.example.com>",
  GITHUB_CLIENT_ID: "Iv1.0123456789abcdef",
  GITHUB_CLIENT_SECRET: "github-secret",
  AI_CHAT_PROVIDER: "openai",
  AI_CHAT_MODEL: "gpt-4.1-mini",
  AI_CHAT_API_KEY: "sk-sample",
  AI_EMBEDDINGS_PROVIDER: "openai",
  AI_EMBEDDINGS_MODEL: "text-embedding-3-small",
  AI_EMBEDDINGS_API_KEY: "sk-sample",
  AI_VECTOR_STORE: "pgvector",
  PINECONE_API_KEY: "pc-sample",
  PINECONE_INDEX_HOST: "https://devflow-abc123.svc.us-east1-gcp.pinecone.io",
  CLAMAV_HOST: "10.20.2.5",
};

/**
 * What each program reads that a deployment deliberately leaves unset, so its default (or "off")
 * applies. Together with what the deploy files set, this must be every variable the program reads:
 * a new setting fails the test until someone decides whether a deployment sets it.
 */
const LEFT_UNSET: Record<Deployed, string[]> = {
  web: [
    ...["HOST", "WEB_PORT"], // 0.0.0.0, and Cloud Run's PORT
    ...["BLOB_DIRECTORY", "GCS_API_ENDPOINT", "PUBSUB_EMULATOR_HOST"], // local or test stand-ins for GCS and Pub/Sub
    ...["DEVFLOW_DEV_SIGN_IN", "DNS_TXT_OVERRIDES_FILE"], // development only, refused in production
    ...["GITHUB_URL", "GITHUB_API_URL"], // github.com; set for GitHub Enterprise Server
    ...["FILE_UPLOAD_MAX_BYTES", "AI_EMBEDDINGS_BASE_URL"],
  ],
  worker: [
    ...["HOST", "WORKER_PORT"],
    ...["BLOB_DIRECTORY", "GCS_API_ENDPOINT", "PUBSUB_EMULATOR_HOST", "PUBSUB_PUSH_JWKS_URL"], // Google's own endpoints
    ...["SLACK_RESPONSE_URL_ORIGIN", "SLACK_API_URL"], // slack.com
    "CLAMAV_PORT", // clamd's 3310 (CLAMAV_HOST is the clamav_host variable; blank: no scan, and the worker says so)
    ...["WEBHOOK_BODY_LIMIT_BYTES", "WEBHOOK_RATE_LIMIT_PER_MINUTE", "OUTSIDE_CALL_TIMEOUT_MS"],
    ...["AI_CHAT_BASE_URL", "AI_CHAT_TIMEOUT_MS", "AI_CHAT_MAX_OUTPUT_TOKENS", "AI_EMBEDDINGS_BASE_URL"],
  ],
  // The job connects with MIGRATION_DATABASE_URL, as the owner; DATABASE_URL is its local fallback.
  migrate: ["DATABASE_URL"],
  collab: ["HOST", "COLLAB_LEASE_TTL_MS", "COLLAB_FORWARD_TIMEOUT_MS", "COLLAB_REDIS_PREFIX"],
  ai: [
    "HOST",
    ...["AI_INDEXER", "AI_INDEXER_INTERVAL_MS", "AI_INDEXER_SETTLE_MS", "AI_INDEXER_BATCH_SIZE"], // every replica indexes
    ...["AI_ASSISTANT_RATE_LIMIT_PER_MINUTE", "AI_ASSISTANT_MAX_TOOL_ROUNDS"],
    ...["AI_CHAT_BASE_URL", "AI_CHAT_TIMEOUT_MS", "AI_CHAT_MAX_OUTPUT_TOKENS", "AI_EMBEDDINGS_BASE_URL"],
  ],
};

/** Every variable the program finds set, with a sample value (throws naming any without one). */
function sampleEnvironment(deployed: Pick<DeployedEnvironment, "variables" | "files" | "image">) {
  const names = [...deployed.variables, ...Object.keys(deployed.files)];
  const missing = names.filter((name) => !(name in SAMPLE));
  if (missing.length) throw new Error(`no sample value for ${missing.join(", ")}: add one to SAMPLE`);
  return { ...deployed.image, ...Object.fromEntries(names.map((name) => [name, SAMPLE[name]!])) };
}

/** What the program reads that the deploy files set, by a name it does not know (a typo, a stale variable). */
function unknownVariables(app: Deployed, deployed: DeployedEnvironment, sharingTheImage: Deployed[]) {
  const known = new Set(schemaVariables(SCHEMAS[app]));
  const knownToTheImage = new Set(sharingTheImage.flatMap((other) => schemaVariables(SCHEMAS[other])));
  return [
    ...[...deployed.variables, ...Object.keys(deployed.files)].filter((name) => !known.has(name)),
    ...Object.keys(deployed.image).filter((name) => !knownToTheImage.has(name)),
  ].filter((name) => !RUNTIME_VARIABLES.has(name));
}

/** Variables whose default only suits a developer's machine (a localhost URL). */
function developmentDefaults(app: Deployed): string[] {
  const defaults = loadConfig(app, SCHEMAS[app], {}) as Record<string, unknown>;
  return Object.entries(defaults)
    .filter(([, value]) => typeof value === "string" && /\/\/(localhost|127\.0\.0\.1)[:/]/.test(value))
    .map(([name]) => name);
}

describe("what the deploy files set, against what the apps read", () => {
  let deployed: Record<Deployed, DeployedEnvironment>;
  beforeAll(async () => {
    deployed = await deployedEnvironments();
  });

  describe.each(DEPLOYED)("%s", (app) => {
    const sharingTheImage = DEPLOYED.filter((other) => IMAGE_OF[other] === IMAGE_OF[app]);

    it("sets only variables the program reads", () => {
      expect(unknownVariables(app, deployed[app], sharingTheImage)).toEqual([]);
    });

    it("gives the program a configuration it accepts in production", () => {
      const config = loadConfig(app, SCHEMAS[app], sampleEnvironment(deployed[app])) as { DEVFLOW_ENV: string };
      expect(config.DEVFLOW_ENV).toBe("production");
    });

    it("sets, or deliberately leaves unset, every variable the program reads", () => {
      const set = new Set([
        ...deployed[app].variables,
        ...Object.keys(deployed[app].files),
        ...Object.keys(deployed[app].image),
      ]);
      const undecided = schemaVariables(SCHEMAS[app]).filter(
        (name) => !set.has(name) && !LEFT_UNSET[app].includes(name),
      );
      expect(undecided).toEqual([]);
      expect(
        LEFT_UNSET[app].filter((name) => set.has(name)),
        "listed as unset but set",
      ).toEqual([]);
    });

    it("sets every variable whose default points at a developer's machine", () => {
      const set = new Set([
        ...deployed[app].variables,
        ...Object.keys(deployed[app].files),
        ...Object.keys(deployed[app].image),
      ]);
      expect(developmentDefaults(app).filter((name) => !set.has(name))).toEqual([]);
    });
  });

  it("would catch a deployment that drops a required secret or misspells a variable", () => {
    const web = deployed.web;
    const withoutSessionSecret = { ...web, variables: web.variables.filter((name) => name !== "SESSION_SECRET") };
    expect(() => loadConfig("web", WebConfigSchema, sampleEnvironment(withoutSessionSecret))).toThrow(/SESSION_SECRET/);
    const misspelt = { ...web, variables: [...web.variables, "PUBLIC_ULR"] };
    expect(unknownVariables("web", misspelt, ["web"])).toEqual(["PUBLIC_ULR"]);
    expect(developmentDefaults("web")).toContain("PUBLIC_URL");
  });
});

describe("the database URL Terraform writes", () => {
  it("asks node-postgres for TLS without checking the server's name, which Cloud SQL's private IP is not", () => {
    const secrets = readFileSync(
      path.resolve(import.meta.dirname, "..", "..", "terraform", "modules", "secrets", "main.tf"),
      "utf8",
    );
    const query = /database_address\s*=\s*"[^"?]*\?([^"]+)"/.exec(secrets)?.[1];
    expect(query).toBeDefined();
    const ssl = parseConnectionString(`postgresql://devflow_app:pw@10.20.0.3:5432/devflow?${query}`).ssl;
    expect(ssl).toEqual({ rejectUnauthorized: false });
    // What node-postgres makes of a bare sslmode=require: verify-full, which would refuse Cloud SQL.
    expect(parseConnectionString("postgresql://u@10.20.0.3/devflow?sslmode=require").ssl).toEqual({});
  });
});

describe("the Kubernetes manifests' placeholders", () => {
  const k8sDir = path.resolve(import.meta.dirname, "..", "k8s");
  const placeholders = new Set(
    readdirSync(k8sDir)
      .filter((file) => file.endsWith(".yaml"))
      .flatMap((file) =>
        [...readFileSync(path.join(k8sDir, file), "utf8").matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!),
      ),
  );

  it.each(["staging", "production"])(
    "are all among the values the %s environment outputs (k8s_values)",
    async (environment) => {
      const keys = new Set(
        await k8sValueKeys(path.resolve(import.meta.dirname, "..", "..", "terraform", "environments", environment)),
      );
      // The release names the image tag; everything else comes from Terraform.
      expect([...placeholders].filter((name) => name !== "IMAGE_TAG" && !keys.has(name))).toEqual([]);
      expect(placeholders.size).toBeGreaterThan(5);
    },
  );
});
