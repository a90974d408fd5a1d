import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("withTenant", () => {
  it("runs as the app role with the organization set for the transaction only", async () => {
    const orgId = "5b0c6a0e-0000-4000-8000-000000000001";
    const seen = await t.db.withTenant({ organizationId: orgId }, async (tx) =>
      tx.$queryRaw<{ role: string; org: string; su: boolean }[]>`
        SELECT current_user AS role, current_setting('app.current_organization', true) AS org,
               (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`,
    );
    expect(seen[0]).toEqual({ role: "devflow_app", org: orgId, su: false });
    const after = await t.db.withSystem("test: setting must not outlive the transaction", (tx) =>
      tx.$queryRaw<{ org: string | null }[]>`SELECT current_setting('app.current_organization', true) AS org`,
    );
    expect(after[0]?.org ?? "").toBe("");
  });

  it("rejects an organization id that is not a UUID before touching the database", async () => {
    await expect(t.db.withTenant({ organizationId: "acme" }, async () => 1)).rejects.toThrow(/needs an organization id/);
  });
});
