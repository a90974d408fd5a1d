import { describe, expect, it } from "vitest";
import { GROUP_FILTER_ATTRIBUTES, parseScimFilter, USER_FILTER_ATTRIBUTES } from "./scim-filter";

describe("parseScimFilter", () => {
  it("reads the userName lookup Okta and Entra ID make before creating a user", () => {
    expect(parseScimFilter('userName eq "ada@example.com"', USER_FILTER_ATTRIBUTES)).toEqual({
      attribute: "username",
      value: "ada@example.com",
    });
  });

  it("treats attribute names and the operator case-insensitively", () => {
    expect(parseScimFilter('USERNAME EQ "a@b.co"', USER_FILTER_ATTRIBUTES).attribute).toBe("username");
    expect(parseScimFilter('externalId Eq "00u1"', USER_FILTER_ATTRIBUTES)).toEqual({
      attribute: "externalid",
      value: "00u1",
    });
  });

  it("accepts the core schema URN in front of the attribute", () => {
    const filter = 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@b.co"';
    expect(parseScimFilter(filter, USER_FILTER_ATTRIBUTES).attribute).toBe("username");
  });

  it('reads emails[type eq "work"].value and emails.value as the email', () => {
    expect(parseScimFilter('emails[type eq "work"].value eq "a@b.co"', USER_FILTER_ATTRIBUTES)).toEqual({
      attribute: "emails.value",
      value: "a@b.co",
    });
    expect(parseScimFilter('emails.value eq "a@b.co"', USER_FILTER_ATTRIBUTES).attribute).toBe("emails.value");
    expect(parseScimFilter('emails eq "a@b.co"', USER_FILTER_ATTRIBUTES).attribute).toBe("emails.value");
  });

  it("unescapes quoted values", () => {
    expect(parseScimFilter('displayName eq "Eng \\"core\\""', GROUP_FILTER_ATTRIBUTES).value).toBe('Eng "core"');
  });

  it("answers invalidFilter for other operators, attributes and compound expressions", () => {
    const cases = [
      'userName sw "ada"',
      "userName pr",
      'title eq "CTO"',
      'userName eq "a@b.co" and active eq true',
      "userName eq ada",
      "active eq true",
      'displayName eq "x"',
      "",
    ];
    for (const filter of cases) {
      expect(() => parseScimFilter(filter, USER_FILTER_ATTRIBUTES), filter).toThrow(
        expect.objectContaining({ code: "validation_failed", details: { scimType: "invalidFilter" } }),
      );
    }
  });

  it("answers invalidFilter for a malformed escape instead of failing", () => {
    expect(() => parseScimFilter('userName eq "a\\x"', USER_FILTER_ATTRIBUTES)).toThrow(
      expect.objectContaining({ details: { scimType: "invalidFilter" } }),
    );
  });
});
