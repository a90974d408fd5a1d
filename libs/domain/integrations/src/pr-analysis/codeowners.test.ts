import { describe, expect, it } from "vitest";
import { ownersOf, ownersOfFiles, parseCodeOwners } from "./codeowners";

// The example file of GitHub's "About code owners" (docs.github.com), trimmed to its rules.
const GITHUB_EXAMPLE = `
# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.

*.go docs@example.com

*.txt @octo-org/octocats

/build/logs/ @doctocat

docs/*  docs@example.com

apps/ @octocat

/docs/ @doctocat

/scripts/ @doctocat @octocat

**/logs @octocat

/apps/ @octocat
/apps/github
`;

describe("CODEOWNERS", () => {
  const rules = parseCodeOwners(GITHUB_EXAMPLE);
  const owners = (path: string) => ownersOf(rules, path);

  it("gives everything to the default owners when no later rule matches", () => {
    expect(owners("README.md")).toEqual(["global-owner1", "global-owner2"]);
    expect(owners("src/deep/main.rs")).toEqual(["global-owner1", "global-owner2"]);
  });

  it("lets the last matching rule win, ignoring inline comments", () => {
    expect(owners("src/index.js")).toEqual(["js-owner"]);
    // apps/ comes after *.js, so it takes apps' JavaScript too.
    expect(owners("web/apps/main.js")).toEqual(["octocat"]);
  });

  it("matches *.ext at any depth and keeps teams, dropping email owners", () => {
    expect(owners("notes/a/b.txt")).toEqual(["octo-org/octocats"]);
    expect(owners("cmd/main.go")).toEqual([]);
  });

  it("anchors a leading slash at the root, and a trailing slash owns the directory's whole tree", () => {
    expect(owners("build/logs/today/app.log")).toEqual(["octocat"]);
    expect(owners("scripts/deploy/run.sh")).toEqual(["doctocat", "octocat"]);
    expect(owners("tools/scripts/run.sh")).toEqual(["global-owner1", "global-owner2"]);
    expect(owners("docs/build-app/troubleshooting.md")).toEqual(["doctocat"]);
  });

  it("matches an unanchored directory anywhere, and **/name at any depth", () => {
    expect(owners("libs/apps/x.rb")).toEqual(["octocat"]);
    expect(owners("deeply/nested/logs/x.log")).toEqual(["octocat"]);
    expect(owners("logs/x.log")).toEqual(["octocat"]);
  });

  it("owns only the files directly in dir with dir/*", () => {
    const docs = parseCodeOwners("docs/* @docs-team\n");
    expect(ownersOf(docs, "docs/getting-started.md")).toEqual(["docs-team"]);
    expect(ownersOf(docs, "docs/build-app/troubleshooting.md")).toEqual([]);
    expect(ownersOf(docs, "other/docs/a.md")).toEqual([]);
  });

  it("leaves a file unowned when the last matching rule names no owner", () => {
    expect(owners("apps/github/main.ts")).toEqual([]);
    expect(owners("apps/web/main.ts")).toEqual(["octocat"]);
  });

  it("keeps * within one segment and ** across them", () => {
    const globbed = parseCodeOwners("/src/*/index.ts @one\n/lib/**/test/ @two\n");
    expect(ownersOf(globbed, "src/a/index.ts")).toEqual(["one"]);
    expect(ownersOf(globbed, "src/a/b/index.ts")).toEqual([]);
    expect(ownersOf(globbed, "lib/test/x.ts")).toEqual(["two"]);
    expect(ownersOf(globbed, "lib/a/b/test/x.ts")).toEqual(["two"]);
  });

  it("counts the changed files each owner owns, most first, leaving the author out", () => {
    const counted = parseCodeOwners("* @lead\n/libs/payments/ @alice @acme/payments\n");
    expect(ownersOfFiles(counted, ["libs/payments/a.ts", "libs/payments/b.ts", "README.md"], ["Alice", null])).toEqual([
      { owner: "acme/payments", files: 2 },
      { owner: "lead", files: 1 },
    ]);
  });
});
