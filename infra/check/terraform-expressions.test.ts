import { describe, expect, test } from "vitest";
import { referencesIn } from "./terraform-expressions";

describe("referencesIn", () => {
  test("finds traversals in interpolations, with null for each index", () => {
    expect(referencesIn('${module.web[0].uri}/x/${google_thing.one["a"].id}')).toEqual([
      ["module", "web", null, "uri"],
      ["google_thing", "one", null, "id"],
    ]);
  });

  test("ignores literal text, escaped interpolations and string literals inside expressions", () => {
    expect(referencesIn("var.plain text")).toEqual([]);
    expect(referencesIn("$${var.escaped} %%{ if var.escaped }")).toEqual([]);
    expect(referencesIn('${jsonencode({ a = "var.quoted", b = "say \\"local.x\\"" })}')).toEqual([]);
  });

  test("scans the interpolations of strings nested in expressions", () => {
    expect(referencesIn('${join(",", ["${var.a}-x", "y"])}')).toEqual([["var", "a"]]);
  });

  test("skips function names, object keys and keywords", () => {
    expect(referencesIn("${merge({ name = var.n, other: local.o }, { enabled = true, x = null })}")).toEqual([
      ["var", "n"],
      ["local", "o"],
    ]);
    expect(referencesIn("${var.on ? local.yes : local.no}")).toEqual([
      ["var", "on"],
      ["local", "yes"],
      ["local", "no"],
    ]);
  });

  test("binds for-expression variables inside their brackets only", () => {
    expect(referencesIn('${{ for k, v in var.m : k => "${v.name}-${local.suffix}" if v != null }}')).toEqual([
      ["var", "m"],
      ["local", "suffix"],
    ]);
    expect(referencesIn("${concat([for item in var.list : item.id], [item])}")).toEqual([["var", "list"], ["item"]]);
  });

  test("binds template for-directive variables for the rest of the template", () => {
    expect(referencesIn("%{ for host in var.hosts }${host}:${var.port} %{ endfor }")).toEqual([
      ["var", "hosts"],
      ["var", "port"],
    ]);
  });

  test("names bound around the template (dynamic block iterators) are not references", () => {
    expect(referencesIn("${setting.value}", new Set(["setting"]))).toEqual([]);
    expect(referencesIn("${setting.value}")).toEqual([["setting", "value"]]);
  });

  test("reads multi-line expressions with comments", () => {
    expect(referencesIn("${[\n  # var.commented\n  var.kept, // local.gone\n  /* data.x.y */ local.kept,\n]}")).toEqual(
      [
        ["var", "kept"],
        ["local", "kept"],
      ],
    );
  });
});
