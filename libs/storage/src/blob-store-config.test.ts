import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@devflow/util-config";
import { describe, expect, it } from "vitest";
import { createBlobStoreFromConfig, loadBlobStoreConfig } from "./blob-store-config";

describe("loadBlobStoreConfig", () => {
  it("defaults to a local store under DATA_DIR/blobs", () => {
    expect(loadBlobStoreConfig({})).toEqual({ kind: "local", directory: join(".data", "blobs") });
    expect(loadBlobStoreConfig({ DATA_DIR: "/var/devflow" })).toEqual({
      kind: "local",
      directory: "/var/devflow/blobs",
    });
    expect(loadBlobStoreConfig({ BLOB_DIRECTORY: "/mnt/blobs" })).toEqual({ kind: "local", directory: "/mnt/blobs" });
  });

  it("returns a GCS config with only the variables that are set", () => {
    expect(loadBlobStoreConfig({ BLOB_STORE: "gcs", GCS_BUCKET: "devflow-prod-uploads" })).toEqual({
      kind: "gcs",
      bucket: "devflow-prod-uploads",
    });
    expect(
      loadBlobStoreConfig({
        BLOB_STORE: "gcs",
        GCS_BUCKET: "b-1",
        GCS_PROJECT_ID: "devflow-prod",
        GCS_API_ENDPOINT: "http://127.0.0.1:4443",
      }),
    ).toEqual({ kind: "gcs", bucket: "b-1", projectId: "devflow-prod", apiEndpoint: "http://127.0.0.1:4443" });
  });

  it("names each bad variable", () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadBlobStoreConfig(env);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues.map((issue) => issue.variable);
      }
    };
    expect(attempt({ BLOB_STORE: "s3" })).toEqual(["BLOB_STORE"]);
    expect(attempt({ BLOB_STORE: "gcs" })).toEqual(["GCS_BUCKET"]);
    expect(attempt({ BLOB_STORE: "gcs", GCS_BUCKET: "gs://uploads" })).toEqual(["GCS_BUCKET"]);
    expect(attempt({ BLOB_STORE: "gcs", GCS_BUCKET: "Uploads" })).toEqual(["GCS_BUCKET"]);
    expect(attempt({ BLOB_STORE: "gcs", GCS_BUCKET: "ok-bucket", GCS_API_ENDPOINT: "not a url" })).toEqual([
      "GCS_API_ENDPOINT",
    ]);
  });

  it("refuses an implicit local directory in production", () => {
    expect(() => loadBlobStoreConfig({ DEVFLOW_ENV: "production" })).toThrow(/BLOB_DIRECTORY/);
    expect(loadBlobStoreConfig({ DEVFLOW_ENV: "production", BLOB_DIRECTORY: "/mnt/blobs" })).toMatchObject({
      kind: "local",
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadBlobStoreConfig({ BLOB_STORE: "", BLOB_DIRECTORY: "" })).toEqual({
      kind: "local",
      directory: join(".data", "blobs"),
    });
  });
});

describe("createBlobStoreFromConfig", () => {
  it("builds a working local store from the environment", async () => {
    const directory = await mkdtemp(join(tmpdir(), "devflow-blob-config-"));
    try {
      const store = createBlobStoreFromConfig({ BLOB_STORE: "local", BLOB_DIRECTORY: directory });
      await store.put("a/b.txt", Buffer.from("hi"), { contentType: "text/plain" });
      expect(await readdir(join(directory, "a"))).toEqual(["b.txt"]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
