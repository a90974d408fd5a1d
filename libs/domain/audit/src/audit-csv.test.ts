import type { AuditLogEntryDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { auditCsvHeader, auditCsvRow, csvField } from "./audit-csv";

const entry = (overrides: Partial<AuditLogEntryDto> = {}): AuditLogEntryDto => ({
  id: "5b0c6a0e-0000-4000-8000-000000000001",
  createdAt: "2026-11-23T10:00:00.000Z",
  action: "api_token.created",
  actorType: "user",
  actor: { id: "5b0c6a0e-0000-4000-8000-000000000002", email: "ada@example.test", name: "Ada" },
  target: { type: "api_token", id: "5b0c6a0e-0000-4000-8000-000000000003" },
  metadata: {},
  ipAddress: "203.0.113.7",
  ...overrides,
});

describe("csvField", () => {
  it("leaves plain text alone and writes nothing for empty values", () => {
    expect(csvField("api_token.created")).toBe("api_token.created");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvField("Lovelace, Ada")).toBe('"Lovelace, Ada"');
    expect(csvField('the "deploy" token')).toBe('"the ""deploy"" token"');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
  });

  it.each([
    ["=", '=HYPERLINK("http://evil.test")', '"\'=HYPERLINK(""http://evil.test"")"'],
    ["+", "+1+1", "'+1+1"],
    ["-", "-2+3", "'-2+3"],
    ["@", "@SUM(A1)", "'@SUM(A1)"],
    ["a tab", "\t=1", "'\t=1"],
    ["a carriage return", "\r=1", '"\'\r=1"'],
  ])("defuses a cell starting with %s", (_label, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("leaves the characters alone when they are not first", () => {
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("ada@example.test")).toBe("ada@example.test");
  });
});

describe("audit CSV rows", () => {
  it("starts with a header row", () => {
    expect(auditCsvHeader()).toBe(
      "time,action,actor_type,actor_user_id,actor_email,actor_name,target_type,target_id,ip_address,metadata\r\n",
    );
  });

  it("writes one line per entry with metadata as escaped JSON", () => {
    const line = auditCsvRow(entry({ metadata: { name: "=cmd|' /C calc'!A0", scopes: ["read"] } }));
    expect(line).toBe(
      "2026-11-23T10:00:00.000Z,api_token.created,user,5b0c6a0e-0000-4000-8000-000000000002,ada@example.test,Ada," +
        'api_token,5b0c6a0e-0000-4000-8000-000000000003,203.0.113.7,"{""name"":""=cmd|\' /C calc\'!A0"",""scopes"":[""read""]}"\r\n',
    );
  });

  it("defuses a formula hidden in an actor's name", () => {
    const line = auditCsvRow(
      entry({ actor: { id: "5b0c6a0e-0000-4000-8000-000000000002", email: null, name: "=1+2" } }),
    );
    expect(line.split(",")[5]).toBe("'=1+2");
  });

  it("leaves the actor and target columns empty when there are none", () => {
    const line = auditCsvRow(entry({ actor: null, target: null, ipAddress: null, actorType: "system" }));
    expect(line).toBe("2026-11-23T10:00:00.000Z,api_token.created,system,,,,,,,\r\n");
  });
});
