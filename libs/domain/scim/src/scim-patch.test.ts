import { ScimPatchRequestSchema } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { applyGroupPatch, applyUserPatch, type ScimUserFields } from "./scim-patch";

const ada: ScimUserFields = {
  userName: "ada@example.com",
  name: "Ada Lovelace",
  givenName: "Ada",
  familyName: "Lovelace",
  primaryEmail: "ada@example.com",
  active: true,
  externalId: null,
};

/** Operations as the route parses them, so `op` casing is normalized exactly as in production. */
function ops(...operations: unknown[]) {
  return ScimPatchRequestSchema.parse({ Operations: operations }).Operations;
}

describe("applyUserPatch", () => {
  it("deactivates with Entra ID's capitalized op and string boolean", () => {
    expect(applyUserPatch(ada, ops({ op: "Replace", path: "active", value: "False" })).active).toBe(false);
  });

  it("deactivates with Okta's pathless value object", () => {
    expect(applyUserPatch(ada, ops({ op: "replace", value: { active: false } })).active).toBe(false);
  });

  it("reactivates", () => {
    const inactive = { ...ada, active: false };
    expect(applyUserPatch(inactive, ops({ op: "replace", path: "active", value: true })).active).toBe(true);
    expect(applyUserPatch(inactive, ops({ op: "Add", path: "active", value: "True" })).active).toBe(true);
  });

  it("rebuilds the name from a given or family name patched alone", () => {
    const next = applyUserPatch(ada, ops({ op: "Replace", path: "name.familyName", value: "King" }));
    expect(next.name).toBe("Ada King");
    expect(applyUserPatch(ada, ops({ op: "add", path: "name.givenName", value: "Augusta" })).name).toBe(
      "Augusta Lovelace",
    );
  });

  it("takes name.formatted, displayName and a nested name object", () => {
    expect(applyUserPatch(ada, ops({ op: "replace", path: "name.formatted", value: "A. L." })).name).toBe("A. L.");
    expect(applyUserPatch(ada, ops({ op: "replace", path: "displayName", value: "Countess" })).name).toBe("Countess");
    const okta = applyUserPatch(
      ada,
      ops({ op: "replace", value: { name: { givenName: "Grace", familyName: "Hopper" } } }),
    );
    expect(okta.name).toBe("Grace Hopper");
  });

  it("reads emails as a list, and by the work-email path Entra ID sends", () => {
    const list = applyUserPatch(
      ada,
      ops({ op: "replace", path: "emails", value: [{ value: "b@x.co" }, { value: "p@x.co", primary: "true" }] }),
    );
    expect(list.primaryEmail).toBe("p@x.co");
    const entra = applyUserPatch(ada, ops({ op: "Replace", path: 'emails[type eq "work"].value', value: "w@x.co" }));
    expect(entra.primaryEmail).toBe("w@x.co");
  });

  it("sets and removes externalId, and changes userName", () => {
    const linked = applyUserPatch(
      ada,
      ops({ op: "add", path: "externalId", value: "00u1" }, { op: "replace", path: "userName", value: "new@x.co" }),
    );
    expect(linked).toMatchObject({ externalId: "00u1", userName: "new@x.co" });
    expect(applyUserPatch(linked, ops({ op: "remove", path: "externalId" })).externalId).toBeNull();
  });

  it("accepts the core schema URN in a path", () => {
    const path = "urn:ietf:params:scim:schemas:core:2.0:User:active";
    expect(applyUserPatch(ada, ops({ op: "replace", path, value: false })).active).toBe(false);
  });

  it("ignores attributes DevFlow does not keep", () => {
    const next = applyUserPatch(
      ada,
      ops(
        { op: "Add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "R&D" },
        { op: "replace", path: "title", value: "CTO" },
        { op: "replace", value: { phoneNumbers: [{ value: "1" }], locale: "en" } },
      ),
    );
    expect(next).toEqual(ada);
  });

  it("answers invalidValue for values of the wrong type and for removing required attributes", () => {
    const bad = [
      { op: "replace", path: "active", value: "maybe" },
      { op: "replace", path: "userName", value: 7 },
      { op: "remove", path: "active" },
      { op: "remove", path: "userName" },
      { op: "replace", value: "not an object" },
      { op: "remove" },
    ];
    for (const op of bad) {
      expect(() => applyUserPatch(ada, ops(op)), JSON.stringify(op)).toThrow(
        expect.objectContaining({ details: { scimType: "invalidValue" } }),
      );
    }
  });

  it("applies operations in order", () => {
    const next = applyUserPatch(
      ada,
      ops({ op: "replace", path: "active", value: false }, { op: "replace", path: "active", value: true }),
    );
    expect(next.active).toBe(true);
  });

  it("refuses an op other than add, replace and remove when parsing", () => {
    expect(ScimPatchRequestSchema.safeParse({ Operations: [{ op: "move", path: "active" }] }).success).toBe(false);
  });
});

describe("applyGroupPatch", () => {
  const group = { displayName: "Eng", externalId: null, memberIds: ["u1", "u2"] };

  it("adds members, ignoring ones already there", () => {
    const next = applyGroupPatch(group, ops({ op: "add", path: "members", value: [{ value: "u2" }, { value: "u3" }] }));
    expect(next.memberIds).toEqual(["u1", "u2", "u3"]);
  });

  it("removes a member by a members[value eq] path, as Okta does", () => {
    const next = applyGroupPatch(group, ops({ op: "remove", path: 'members[value eq "u1"]' }));
    expect(next.memberIds).toEqual(["u2"]);
  });

  it("removes members listed in value, as Entra ID does", () => {
    const next = applyGroupPatch(group, ops({ op: "Remove", path: "members", value: [{ value: "u2" }] }));
    expect(next.memberIds).toEqual(["u1"]);
  });

  it("removes every member when no value is given, and replaces the list as a whole", () => {
    expect(applyGroupPatch(group, ops({ op: "remove", path: "members" })).memberIds).toEqual([]);
    expect(applyGroupPatch(group, ops({ op: "replace", path: "members", value: [{ value: "u9" }] })).memberIds).toEqual(
      ["u9"],
    );
  });

  it("renames with a path or with Okta's value object", () => {
    expect(applyGroupPatch(group, ops({ op: "replace", path: "displayName", value: "Core" })).displayName).toBe("Core");
    const okta = applyGroupPatch(group, ops({ op: "replace", value: { id: "g1", displayName: "Platform" } }));
    expect(okta).toMatchObject({ displayName: "Platform", memberIds: ["u1", "u2"] });
  });

  it("answers invalidValue for an empty name, a removed name or members without values", () => {
    const bad = [
      { op: "replace", path: "displayName", value: " " },
      { op: "remove", path: "displayName" },
      { op: "add", path: "members", value: [{ display: "no value" }] },
      { op: "add", path: 'members[value eq "u1"]', value: {} },
    ];
    for (const op of bad) {
      expect(() => applyGroupPatch(group, ops(op)), JSON.stringify(op)).toThrow(
        expect.objectContaining({ details: { scimType: "invalidValue" } }),
      );
    }
  });
});
