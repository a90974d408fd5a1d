import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load-config";
import { CollabConfigSchema, WebConfigSchema, WorkerConfigSchema } from "./schemas";

describe("loadConfig", () => {
  it("applies defaults for a development machine with nothing set", () => {
    const config = loadConfig("web", WebConfigSchema, {});
    expect(config.port).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DEVFLOW_DEV_SIGN_IN).toBe(false);
  });

  it("prefers the app's own port variable over the platform's PORT", () => {
    expect(loadConfig("collab", CollabConfigSchema, { PORT: "8080" }).port).toBe(8080);
    expect(loadConfig("collab", CollabConfigSchema, { PORT: "8080", COLLAB_PORT: "4001" }).port).toBe(4001);
  });

  it("names the variable and what it expects when a value is bad", () => {
    const attempt = () => loadConfig("web", WebConfigSchema, { DATABASE_URL: "mysql://db/x", WEB_PORT: "http" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL: expected a postgresql:\/\/ connection URL/);
    expect(attempt).toThrow(/WEB_PORT:/);
  });

  it("refuses to start production without a database or with development sign-in", () => {
    const attempt = () =>
      loadConfig("web", WebConfigSchema, { DEVFLOW_ENV: "production", DEVFLOW_DEV_SIGN_IN: "1" });
    expect(attempt).toThrow(/DATABASE_URL: is required when DEVFLOW_ENV=production/);
    expect(attempt).toThrow(/DEVFLOW_DEV_SIGN_IN: cannot be enabled/);
    expect(attempt).toThrow(/SESSION_SECRET: is required/);
  });

  it("keeps uploads in a local directory by default, and in a bucket or a named volume in production", () => {
    expect(loadConfig("worker", WorkerConfigSchema, {}).BLOB_STORE).toBe("local");
    expect(() => loadConfig("worker", WorkerConfigSchema, { BLOB_STORE: "gcs" })).toThrow(
      /GCS_BUCKET: is required when BLOB_STORE=gcs/,
    );
    expect(() => loadConfig("web", WebConfigSchema, { DEVFLOW_ENV: "production" })).toThrow(/BLOB_DIRECTORY: is required/);
    expect(loadConfig("worker", WorkerConfigSchema, { BLOB_STORE: "gcs", GCS_BUCKET: "devflow-files" }).GCS_BUCKET).toBe(
      "devflow-files",
    );
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig("web", WebConfigSchema, { DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});
