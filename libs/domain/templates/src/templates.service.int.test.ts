import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTemplatesService } from "./templates.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let templates: ReturnType<typeof createTemplatesService>;

beforeAll(async () => {
  t = await createTestDatabase();
  templates = createTemplatesService(t.db, () => new Date("2026-11-29T12:00:00Z"));
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

describe("templates service", () => {
  it("lists the built-in templates and the organization's own, never another organization's", async () => {
    const saved = await templates.create(acme.ctx, {
      name: "Incident review",
      description: "Blameless review",
      kind: "other",
      content: "# {{title}}\n\n## Timeline\n",
    });
    const acmeList = await templates.list(acme.ctx);
    expect(acmeList.filter((x) => x.builtIn).map((x) => x.id)).toContain("builtin:rfc");
    expect(acmeList.find((x) => x.id === saved.id)).toMatchObject({ name: "Incident review", builtIn: false });
    expect((await templates.list(globex.ctx)).some((x) => x.id === saved.id)).toBe(false);
    await expect(templates.get(globex.ctx, saved.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(templates.remove(globex.ctx, saved.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("renders a template into a document's kind and text", async () => {
    const rfc = await templates.render(acme.ctx, "builtin:rfc", { title: "Rate limiting" });
    expect(rfc.kind).toBe("rfc");
    expect(rfc.content).toContain("# RFC: Rate limiting");
    expect(rfc.content).toContain("2026-11-29");
    await expect(templates.render(acme.ctx, "builtin:nope", { title: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("refuses duplicate names, viewers saving, and members deleting others' templates", async () => {
    await templates.create(acme.ctx, { name: "Postmortem", description: "", kind: "other", content: "" });
    await expect(
      templates.create(acme.ctx, { name: "Postmortem", description: "", kind: "other", content: "" }),
    ).rejects.toMatchObject({ code: "conflict" });
    const viewer = await acme.addMember("viewer");
    await expect(
      templates.create(viewer, { name: "Mine", description: "", kind: "other", content: "" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const member = await acme.addMember("member");
    const ownersTemplate = (await templates.list(acme.ctx)).find((x) => x.name === "Postmortem")!;
    await expect(templates.remove(member, ownersTemplate.id)).rejects.toMatchObject({ code: "forbidden" });
    const own = await templates.create(member, { name: "Member's own", description: "", kind: "adr", content: "" });
    await templates.remove(member, own.id);
    await expect(templates.remove(acme.ctx, "builtin:adr")).rejects.toMatchObject({ code: "forbidden" });
  });
});
