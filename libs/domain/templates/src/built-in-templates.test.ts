import { DOCUMENT_KINDS } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { BUILT_IN_TEMPLATES, fillTemplate } from "./built-in-templates";

describe("built-in templates", () => {
  it("cover every document kind but 'other', with unique ids and a title placeholder", () => {
    expect(BUILT_IN_TEMPLATES.map((t) => t.kind).sort()).toEqual(DOCUMENT_KINDS.filter((k) => k !== "other").sort());
    expect(new Set(BUILT_IN_TEMPLATES.map((t) => t.id)).size).toBe(BUILT_IN_TEMPLATES.length);
    for (const template of BUILT_IN_TEMPLATES) expect(template.content).toContain("{{title}}");
  });

  it("fills title and date and leaves other braces alone", () => {
    expect(fillTemplate("# {{title}} ({{date}}) {{owner}}", { title: "Rate limits", date: "2026-11-29" })).toBe(
      "# Rate limits (2026-11-29) {{owner}}",
    );
  });

  it("does not treat $ patterns in a title as replacement syntax", () => {
    expect(fillTemplate("# {{title}}", { title: "Costs in $& and $1", date: "" })).toBe("# Costs in $& and $1");
  });
});
