import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
    const attempt = () => loadConfig("web", WebConfigSchema, { DEVFLOW_ENV: "production", DEVFLOW_DEV_SIGN_IN: "1" });
    expect(attempt).toThrow(/DATABASE_URL: is required when DEVFLOW_ENV=production/);
    expect(attempt).toThrow(/DEVFLOW_DEV_SIGN_IN: cannot be enabled/);
    expect(attempt).toThrow(/SESSION_SECRET: is required/);
  });

  it("keeps uploads in a local directory by default, and in a bucket or a named volume in production", () => {
    expect(loadConfig("worker", WorkerConfigSchema, {}).BLOB_STORE).toBe("local");
    expect(() => loadConfig("worker", WorkerConfigSchema, { BLOB_STORE: "gcs" })).toThrow(
      /GCS_BUCKET: is required when BLOB_STORE=gcs/,
    );
    expect(() => loadConfig("web", WebConfigSchema, { DEVFLOW_ENV: "production" })).toThrow(
      /BLOB_DIRECTORY: is required/,
    );
    expect(
      loadConfig("worker", WorkerConfigSchema, { BLOB_STORE: "gcs", GCS_BUCKET: "devflow-files" }).GCS_BUCKET,
    ).toBe("devflow-files");
  });

  it("treats empty and blank strings as unset", () => {
    expect(loadConfig("web", WebConfigSchema, { DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(loadConfig("web", WebConfigSchema, { SMTP_URL: " \n" }).SMTP_URL).toBeUndefined();
  });

  it("accepts an app's parsed config in place of its environment", () => {
    const parsed = loadConfig("worker", WorkerConfigSchema, { BLOB_STORE: "gcs", GCS_BUCKET: "devflow-files" });
    expect(loadConfig("worker", WorkerConfigSchema, parsed as never).GCS_BUCKET).toBe("devflow-files");
  });

  describe("values from files (X_FILE)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "devflow-config-"));
    const secret = (name: string, content: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    };

    it("reads a variable from the file its _FILE variable names, without the trailing newline", () => {
      const file = secret("database-url", "postgresql://devflow_app:pw@10.0.0.3:5432/devflow\n");
      const config = loadConfig("collab", CollabConfigSchema, { DATABASE_URL_FILE: file });
      expect(config.DATABASE_URL).toBe("postgresql://devflow_app:pw@10.0.0.3:5432/devflow");
    });

    it("prefers the variable itself when both are set", () => {
      const file = secret("url-from-file", "postgresql://from-file/devflow");
      const config = loadConfig("collab", CollabConfigSchema, {
        DATABASE_URL: "postgresql://direct/devflow",
        DATABASE_URL_FILE: file,
      });
      expect(config.DATABASE_URL).toBe("postgresql://direct/devflow");
    });

    it("treats a blank file as unset, so an operator can leave an optional secret empty", () => {
      const file = secret("smtp-url", "\n");
      expect(loadConfig("web", WebConfigSchema, { SMTP_URL_FILE: file }).SMTP_URL).toBeUndefined();
    });

    it("validates what the file holds like any other value", () => {
      const file = secret("bad-url", "mysql://db/x\n");
      expect(() => loadConfig("collab", CollabConfigSchema, { DATABASE_URL_FILE: file })).toThrow(
        /DATABASE_URL: expected a postgresql:\/\/ connection URL/,
      );
    });

    it("leaves settings that are themselves paths alone, and ignores variables the app does not read", () => {
      const missing = path.join(dir, "not-there-yet.json");
      const config = loadConfig("web", WebConfigSchema, { DNS_TXT_OVERRIDES_FILE: missing, UNRELATED_FILE: missing });
      expect(config.DNS_TXT_OVERRIDES_FILE).toBe(missing);
    });

    it("names the _FILE variable and the path when the file cannot be read", () => {
      const missing = path.join(dir, "missing");
      const attempt = () => loadConfig("collab", CollabConfigSchema, { REDIS_URL_FILE: missing });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`REDIS_URL_FILE: cannot read ${missing} (ENOENT)`);
    });
  });
});
