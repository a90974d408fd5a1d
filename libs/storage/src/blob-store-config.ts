import { join } from "node:path";
import { loadConfig } from "@devflow/util-config";
import { z } from "zod";
import type { BlobStore } from "./blob-store";
import { createGcsBlobStore } from "./gcs-blob-store";
import { createLocalBlobStore } from "./local-blob-store";

/** Where blobs go, once the environment has been checked. */
export type BlobStoreConfig =
  | {
      kind: "local";
      /** Absolute or relative to the working directory. */
      directory: string;
    }
  | {
      kind: "gcs";
      bucket: string;
      projectId?: string;
      /** Set only for an emulator; the client then sends no credentials. */
      apiEndpoint?: string;
    };

/** Google's bucket naming rules, short form: 3-63 of a-z 0-9 . _ -, starting and ending alphanumeric. */
const bucketName = z
  .string()
  .refine((v) => !v.startsWith("gs://"), { message: "give the bucket name without gs://", abort: true })
  .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, "expected a bucket name: 3-63 of a-z, 0-9, '.', '_', '-'");

/**
 * The variables `createBlobStoreFromConfig` reads (documented in libs/storage/README.md). DATA_DIR
 * and DEVFLOW_ENV are the apps' common variables, read here only for the local default and its
 * production guard.
 */
export const BlobStoreConfigSchema = z
  .object({
    DEVFLOW_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATA_DIR: z.string().default(".data"),
    BLOB_STORE: z.enum(["local", "gcs"], { message: "expected local or gcs" }).default("local"),
    BLOB_DIRECTORY: z.string().optional(),
    GCS_BUCKET: bucketName.optional(),
    GCS_PROJECT_ID: z.string().optional(),
    GCS_API_ENDPOINT: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.BLOB_STORE === "gcs" && !env.GCS_BUCKET) {
      ctx.addIssue({ code: "custom", path: ["GCS_BUCKET"], message: "required when BLOB_STORE=gcs" });
    }
    // Container disks are wiped on restart: in production a local store must name its volume.
    if (env.BLOB_STORE === "local" && env.DEVFLOW_ENV === "production" && !env.BLOB_DIRECTORY) {
      ctx.addIssue({
        code: "custom",
        path: ["BLOB_DIRECTORY"],
        message: "required in production with BLOB_STORE=local (a persistent volume), or set BLOB_STORE=gcs",
      });
    }
  })
  .transform((env): BlobStoreConfig => {
    if (env.BLOB_STORE === "local") {
      return { kind: "local", directory: env.BLOB_DIRECTORY ?? join(env.DATA_DIR, "blobs") };
    }
    return {
      kind: "gcs",
      bucket: env.GCS_BUCKET!,
      ...(env.GCS_PROJECT_ID ? { projectId: env.GCS_PROJECT_ID } : {}),
      ...(env.GCS_API_ENDPOINT ? { apiEndpoint: env.GCS_API_ENDPOINT } : {}),
    };
  });

/**
 * Validates the blob-store variables in `env` (an app's environment, as its config loader received
 * it) and returns the typed choice. Throws `ConfigError` naming every bad variable.
 */
export function loadBlobStoreConfig(env: Record<string, string | undefined>): BlobStoreConfig {
  return loadConfig("blob store", BlobStoreConfigSchema, env);
}

/**
 * Builds the `BlobStore` the environment asks for: `BLOB_STORE=local` (the default, under
 * `DATA_DIR/blobs` unless `BLOB_DIRECTORY` is set) or `BLOB_STORE=gcs` with `GCS_BUCKET`.
 * Credentials for GCS come from Application Default Credentials, never from these variables.
 */
export function createBlobStoreFromConfig(env: Readonly<Record<string, unknown>>): BlobStore {
  // An app's parsed config will do as well as its environment: only the variables above are read.
  const config = loadBlobStoreConfig(env as Record<string, string | undefined>);
  if (config.kind === "local") return createLocalBlobStore({ directory: config.directory });
  return createGcsBlobStore(config);
}
