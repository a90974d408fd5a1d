import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scramSha256Verifier } from "./app-login";
import { testServerUrl } from "./testing/test-database";

// Roles are cluster-wide: this works on a throwaway role, never on devflow_app, which other files use.
describe.skipIf(process.env.DEVFLOW_TEST_DB !== "postgres")("scramSha256Verifier", () => {
  const role = `devflow_scram_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testServerUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} NOLOGIN`);
  });
  afterAll(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it("computes the verifier PostgreSQL stores for the same password, salt and iterations", async () => {
    const password = "correct horse battery staple";
    await admin.query("SET password_encryption = 'scram-sha-256'");
    await admin.query(`ALTER ROLE ${role} PASSWORD ${admin.escapeLiteral(password)}`);
    const { rows } = await admin.query<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
      [role],
    );
    const stored = rows[0]!.rolpassword;
    const [, params] = stored.split("$") as [string, string];
    const [iterations, salt] = params.split(":") as [string, string];

    expect(scramSha256Verifier(password, Buffer.from(salt, "base64"), Number(iterations))).toBe(stored);
    expect(scramSha256Verifier("another password", Buffer.from(salt, "base64"), Number(iterations))).not.toBe(stored);
  });

  it("is stored as given when sent in place of a password, so the server never sees the password", async () => {
    const verifier = scramSha256Verifier("s3cret-for-the-app-role");
    await admin.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${admin.escapeLiteral(verifier)}`);
    const { rows } = await admin.query("SELECT rolpassword, rolcanlogin FROM pg_authid WHERE rolname = $1", [role]);
    expect(rows[0]).toEqual({ rolpassword: verifier, rolcanlogin: true });
  });
});
