import { PrAnalysisSchema, type DocRef } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { analyzePullRequest, effortOf, suggestReviewers, type FetchedFile, type FetchedPullRequest } from "./analyze";
import { docCompliance, docMentions } from "./doc-compliance";
import { fileKind, groupFiles, FILE_GROUPS_MAX } from "./file-groups";
import { findLineFindings, fingerprintOf } from "./findings";
import { addedLines } from "./patch-lines";
import { conclusionOf, evaluateGates, gateSettingsOf } from "./quality-gates";

const SHA1 = "1".repeat(40);
const SHA2 = "2".repeat(40);

function file(filename: string, patch: string | null, extra: Partial<FetchedFile> = {}): FetchedFile {
  const added = patch === null ? null : addedLines(patch);
  return {
    filename,
    status: "modified",
    additions: added?.length ?? 0,
    deletions: 0,
    previousFilename: null,
    added,
    ...extra,
  };
}

function pull(files: FetchedFile[], extra: Partial<FetchedPullRequest> = {}): FetchedPullRequest {
  return {
    headSha: SHA1,
    title: "Refund retries",
    body: "",
    author: "octocat",
    totalFiles: files.length,
    totalAdditions: files.reduce((n, f) => n + f.additions, 0),
    totalDeletions: files.reduce((n, f) => n + f.deletions, 0),
    files,
    commits: [{ sha: SHA1, author: "octocat", message: "Retry refunds" }],
    ...extra,
  };
}

const analyze = (pr: FetchedPullRequest, extra: Partial<Parameters<typeof analyzePullRequest>[0]> = {}) =>
  analyzePullRequest({
    pr,
    docs: [],
    mentions: {},
    repositorySettings: {},
    previous: null,
    history: [],
    now: new Date("2026-11-30T12:00:00Z"),
    ...extra,
  });

const PATCH = [
  "@@ -10,3 +10,8 @@ export function refund(",
  " const a = 1;",
  "-const old = 2;",
  "+// TODO: handle partial refunds",
  "+console.log(payment);",
  "+const client = raw as any;",
  " const b = 3;",
  "+// eslint-disable-next-line no-await-in-loop",
  '+const apiKey = "sk_live_51H8abcdefghijkl";',
  "\\ No newline at end of file",
].join("\n");

describe("added lines", () => {
  it("numbers added lines as in the new file, counting context but not removed lines", () => {
    expect(addedLines(PATCH)).toEqual([
      [11, "// TODO: handle partial refunds"],
      [12, "console.log(payment);"],
      [13, "const client = raw as any;"],
      [15, "// eslint-disable-next-line no-await-in-loop"],
      [16, 'const apiKey = "sk_live_51H8abcdefghijkl";'],
    ]);
  });
});

describe("line findings", () => {
  it("flags TODOs, debug output, any casts, disabled lint rules and secret-looking literals with file and line", () => {
    const findings = findLineFindings([file("libs/payments/src/refund.ts", PATCH)], SHA1);
    expect(findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ["todo-added", "info", "libs/payments/src/refund.ts", 11],
      ["debug-statement", "warning", "libs/payments/src/refund.ts", 12],
      ["any-cast", "warning", "libs/payments/src/refund.ts", 13],
      ["lint-disabled", "warning", "libs/payments/src/refund.ts", 15],
      ["possible-secret", "critical", "libs/payments/src/refund.ts", 16],
    ]);
    // The secret itself is never repeated in what is posted.
    expect(JSON.stringify(findings)).not.toContain("sk_live");
    expect(findings.every((f) => f.firstSeenSha === SHA1)).toBe(true);
  });

  it("leaves debug output in tests alone and reads `any` only in TypeScript", () => {
    const patch = "@@ -0,0 +1,2 @@\n+console.log(x);\n+const y = z as any;";
    expect(findLineFindings([file("libs/a/src/a.test.ts", patch)], SHA1).map((f) => f.rule)).toEqual(["any-cast"]);
    expect(findLineFindings([file("scripts/a.js", patch)], SHA1).map((f) => f.rule)).toEqual(["debug-statement"]);
  });

  it("keeps a finding's fingerprint and first sighting when a later push moves or re-indents its line", () => {
    const first = findLineFindings([file("src/a.ts", "@@ -1,1 +1,2 @@\n ok\n+console.log(a);")], SHA1);
    const known = new Map(first.map((f) => [f.fingerprint, f.firstSeenSha]));
    const moved = [
      "@@ -1,1 +1,5 @@",
      " ok",
      "+const added = 1;",
      "+const more = 2;",
      "+    console.log(a);   ",
      "+console.log(b);",
    ].join("\n");
    const second = findLineFindings([file("src/a.ts", moved)], SHA2, known);
    expect(second.map((f) => [f.line, f.firstSeenSha, f.fingerprint])).toEqual([
      [4, SHA1, first[0]!.fingerprint],
      [5, SHA2, fingerprintOf("debug-statement", "src/a.ts", "console.log(b);")],
    ]);
    // Same text in another file, or for another rule, is another finding.
    expect(fingerprintOf("debug-statement", "src/b.ts", "console.log(a);")).not.toBe(first[0]!.fingerprint);
  });

  it("reports the same flagged text once per file", () => {
    const patch = "@@ -0,0 +1,2 @@\n+// TODO later\n+// TODO later";
    expect(findLineFindings([file("a.ts", patch)], SHA1)).toHaveLength(1);
  });
});

describe("file groups", () => {
  it("sorts files into kinds by convention", () => {
    expect(
      [
        "libs/a/src/x.ts",
        "libs/a/src/x.test.ts",
        "prisma/migrations/2026_x/migration.sql",
        "infra/terraform/main.tf",
        ".github/workflows/ci.yml",
        "docs/ARCHITECTURE.md",
        "package.json",
        "assets/logo.png",
      ].map(fileKind),
    ).toEqual(["source", "test", "migration", "infra", "infra", "docs", "config", "other"]);
  });

  it("groups a 500-file pull request by area and kind, every file counted, the long tail folded into one group", () => {
    const files = Array.from({ length: 500 }, (_, i) =>
      file(`libs/lib-${i % 60}/src/file-${i}.ts`, null, { additions: 2, deletions: 1 }),
    );
    const groups = groupFiles(files, { files: 20, additions: 40, deletions: 20 });
    expect(groups).toHaveLength(FILE_GROUPS_MAX + 2);
    expect(groups.reduce((n, g) => n + g.files, 0)).toBe(520);
    expect(groups.reduce((n, g) => n + g.additions, 0)).toBe(1040);
    // 60 libraries: 20 with 9 files, 40 with 8. The 40 largest are listed; the last 20 (8 files each) are folded.
    expect(groups.at(-2)).toMatchObject({ name: "20 other groups", files: 160, additions: 320, deletions: 160 });
    expect(groups.at(-1)).toMatchObject({ name: "not fetched (over the file limit)", files: 20 });
  });

  it("says in the analysis how many files were read of how many changed", () => {
    const files = Array.from({ length: 300 }, (_, i) => file(`apps/web/f${i}.ts`, null, { additions: 1 }));
    const analysis = analyze(pull(files, { totalFiles: 500, totalAdditions: 500 }));
    expect(analysis.summary).toMatchObject({ totalFiles: 500, analyzedFiles: 300, unscannedFiles: 300 });
    expect(analysis.summary.groups.reduce((n, g) => n + g.files, 0)).toBe(500);
    expect(analysis.risk.reasons.map((r) => r.rule)).toContain("unread-files");
  });
});

describe("risk and effort", () => {
  it("adds up reasons for sensitive paths, migrations, missing tests and secrets, capped at 100", () => {
    const files = [
      file("libs/auth/src/session.ts", PATCH, { additions: 300, deletions: 200 }),
      file("prisma/migrations/1_x/migration.sql", "@@ -0,0 +1 @@\n+ALTER TABLE x;"),
    ];
    const analysis = analyze(pull(files));
    expect(analysis.risk.reasons.map((r) => [r.rule, r.points])).toEqual([
      ["size", 20],
      ["sensitive-paths", 15],
      ["migrations", 15],
      ["missing-tests", 15],
      ["possible-secrets", 25],
    ]);
    expect(analysis.risk).toMatchObject({ score: 90, level: "high" });
    expect(analysis.missingTests).toEqual(["libs/auth"]);
    expect(analysis.securityConcerns[0]).toMatch(/^Possible credential at libs\/auth\/src\/session.ts:16/);
  });

  it("scores a small change with its tests as low risk", () => {
    const files = [
      file("libs/a/src/x.ts", "@@ -1 +1 @@\n-a\n+b", { deletions: 1 }),
      file("libs/a/src/x.test.ts", "@@ -1 +1 @@\n+c"),
    ];
    expect(analyze(pull(files)).risk).toEqual({ score: 0, level: "low", reasons: [] });
    expect(effortOf(2, 2)).toEqual({ size: "XS", reviewMinutes: 14, basis: "2 lines in 2 files" });
  });
});

const doc = (over: Partial<DocRef> = {}): DocRef => ({
  documentId: "7f9c1b1e-0000-4000-8000-000000000001",
  title: "Refunds",
  status: "approved",
  version: 12,
  revision: null,
  source: "linked",
  ...over,
});

describe("quality gates", () => {
  const facts = { risk: 40, sourceChanged: true, testsChanged: false, docs: [] };

  it("holds a repository nobody configured to the defaults: risk ≤ 70 and tests with source", () => {
    const { gates, invalid } = gateSettingsOf({});
    expect(invalid).toBe(false);
    const results = evaluateGates(gates, facts);
    expect(results.map((r) => [r.gate, r.outcome])).toEqual([
      ["maxRisk", "passed"],
      ["requireTestsWithSource", "failed"],
      ["requireLinkedDoc", "skipped"],
      ["requireApprovedDoc", "skipped"],
    ]);
    expect(conclusionOf(results)).toBe("failure");
  });

  it("is neutral when an approved doc is required but none is linked, and fails on a draft", () => {
    const { gates } = gateSettingsOf({ qualityGates: { requireApprovedDoc: true, requireTestsWithSource: false } });
    const none = evaluateGates(gates, facts);
    expect(none.find((r) => r.gate === "requireApprovedDoc")).toMatchObject({ outcome: "neutral" });
    expect(conclusionOf(none)).toBe("neutral");
    const draft = evaluateGates(gates, { ...facts, docs: [doc({ status: "draft" })] });
    expect(draft.find((r) => r.gate === "requireApprovedDoc")).toMatchObject({
      outcome: "failed",
      reason: 'Not approved: "Refunds" (draft)',
    });
    expect(conclusionOf(evaluateGates(gates, { ...facts, docs: [doc()] }))).toBe("success");
  });

  it("fails on risk over the repository's limit and on a missing linked doc (retrieved docs do not count)", () => {
    const { gates } = gateSettingsOf({ qualityGates: { maxRisk: 30, requireLinkedDoc: true }, other: "kept" });
    const results = evaluateGates(gates, { ...facts, testsChanged: true, docs: [doc({ source: "retrieved" })] });
    expect(results.filter((r) => r.outcome === "failed").map((r) => r.gate)).toEqual(["maxRisk", "requireLinkedDoc"]);
  });

  it("counts a doc linked from an issue the pull request references as linked", () => {
    const { gates } = gateSettingsOf({ qualityGates: { requireLinkedDoc: true, requireApprovedDoc: true } });
    const results = evaluateGates(gates, { ...facts, testsChanged: true, docs: [doc({ source: "issue" })] });
    expect(results.map((r) => [r.gate, r.outcome])).toEqual([
      ["maxRisk", "passed"],
      ["requireTestsWithSource", "passed"],
      ["requireLinkedDoc", "passed"],
      ["requireApprovedDoc", "passed"],
    ]);
  });

  it("falls back to the defaults for settings that do not parse, and says so", () => {
    expect(gateSettingsOf({ qualityGates: { maxRisk: "high" } })).toMatchObject({
      invalid: true,
      gates: { maxRisk: 70 },
    });
    const analysis = analyze(pull([]), { repositorySettings: { qualityGates: { maxRisk: 500 } } });
    expect(analysis.gates[0]!.reason).toContain("defaults used");
  });
});

describe("design doc compliance", () => {
  const markdown = [
    "# Refund retries",
    "## Changes",
    "- `libs/payments/` gets a retry queue; see `refund.ts` and `scheduleRefundRetry()`.",
    "- See https://github.com/acme/api/blob/main/libs/other/x.ts for the old code.",
  ].join("\n");

  it("reads the paths and identifiers a doc names, not URLs", () => {
    expect(docMentions(markdown)).toEqual({
      paths: ["libs/payments/", "refund.ts"],
      identifiers: ["scheduleRefundRetry"],
    });
  });

  it("says which changed areas the doc names, at the version read", () => {
    const files = [
      file("libs/payments/src/refund.ts", "@@ -0,0 +1 @@\n+scheduleRefundRetry(id);"),
      file("apps/web/page.tsx", "@@ -0,0 +1 @@\n+x"),
    ];
    const result = docCompliance({ documentId: doc().documentId, version: 12 }, docMentions(markdown), files);
    expect(result).toMatchObject({
      version: 12,
      outcome: "partial",
      matchedPaths: ["libs/payments/", "refund.ts"],
      unmentionedAreas: ["apps/web"],
    });
    expect(result.explanation).toContain("1 of the 2 area(s)");
    expect(docCompliance(doc(), { paths: [], identifiers: [] }, files).outcome).toBe("unknown");
    expect(docCompliance(doc(), docMentions(markdown), files.slice(0, 1)).outcome).toBe("covered");
    expect(docCompliance(doc(), docMentions(markdown), files.slice(1)).outcome).toBe("outside");
  });
});

describe("suggested reviewers", () => {
  it("names authors of other pull requests in the same directories, not the author, committers or bots", () => {
    const history = [
      { login: "alice", directories: ["libs/payments", "apps/web"] },
      { login: "bob", directories: ["libs/payments"] },
      { login: "bob", directories: ["libs/payments"] },
      { login: "octocat", directories: ["libs/payments"] },
      { login: "carol", directories: ["libs/payments"] },
      { login: "dependabot[bot]", directories: ["libs/payments"] },
      { login: "dave", directories: ["libs/other"] },
    ];
    expect(suggestReviewers(["apps/web", "libs/payments"], history, ["octocat", "carol"])).toEqual([
      { login: "alice", pullRequests: 1, directories: ["apps/web", "libs/payments"] },
      { login: "bob", pullRequests: 2, directories: ["libs/payments"] },
    ]);
  });

  it("puts the code owners of the changed files first, then history, each once and with its reason, at most five", () => {
    const pr = pull([file("libs/payments/src/refund.ts", null), file("libs/payments/src/ledger.ts", null)], {
      codeOwners: "* @lead\n/libs/payments/ @octocat @alice @acme/payments\n",
    });
    const history = ["alice", "bob", "dave", "erin"].map((login) => ({ login, directories: ["libs/payments"] }));
    expect(analyze(pr, { history }).reviewers).toEqual([
      { login: "acme/payments", pullRequests: 0, directories: [], kind: "owner", reason: "owns 2 changed files" },
      { login: "alice", pullRequests: 0, directories: [], kind: "owner", reason: "owns 2 changed files" },
      {
        login: "bob",
        pullRequests: 1,
        directories: ["libs/payments"],
        kind: "history",
        reason: "wrote 1 analysed pull request(s) in libs/payments",
      },
      expect.objectContaining({ login: "dave", kind: "history" }),
      expect.objectContaining({ login: "erin", kind: "history" }),
    ]);
  });
});

describe("the analysis", () => {
  it("matches its contract", () => {
    const analysis = analyze(pull([file("libs/payments/src/refund.ts", PATCH)]), { docs: [doc()] });
    expect(PrAnalysisSchema.parse(analysis)).toEqual(analysis);
  });
});
