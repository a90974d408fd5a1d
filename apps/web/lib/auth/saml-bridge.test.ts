import { describe, expect, it } from "vitest";
import { samlPersonOf } from "./saml-bridge";
import { samlServiceProvider } from "./saml-paths";

describe("samlPersonOf", () => {
  it("reads email, name and groups from the attributes Jackson maps", () => {
    expect(
      samlPersonOf({
        id: "00u1",
        email: "Ada@Example.COM",
        firstName: "Ada",
        lastName: "Lovelace",
        groups: ["eng", "eng-admins"],
        raw: {},
      }),
    ).toEqual({ id: "00u1", email: "ada@example.com", name: "Ada Lovelace", groups: ["eng", "eng-admins"] });
  });

  it("prefers a display name attribute and accepts Entra ID's groups claim", () => {
    const person = samlPersonOf({
      id: "x",
      email: "grace@example.com",
      firstName: "Grace",
      raw: {
        "http://schemas.microsoft.com/identity/claims/displayname": "Grace Hopper",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": ["b1c2", "eng"],
      },
      groups: ["eng"],
    });
    expect(person.name).toBe("Grace Hopper");
    expect(person.groups).toEqual(["eng", "b1c2"]);
  });

  it("falls back to an email-shaped NameID, and to no email at all", () => {
    expect(samlPersonOf({ id: "Joan@Example.com", raw: {} }).email).toBe("joan@example.com");
    expect(samlPersonOf({ id: "opaque-123", raw: {} })).toEqual({
      id: "opaque-123",
      email: null,
      name: null,
      groups: [],
    });
  });
});

describe("samlServiceProvider", () => {
  it("derives the ACS URL and entity ID from the public URL", () => {
    expect(samlServiceProvider("https://app.devflow.dev/")).toEqual({
      acsUrl: "https://app.devflow.dev/api/oauth/saml",
      entityId: "https://app.devflow.dev",
    });
  });
});
