/**
 * CODEOWNERS, as GitHub reads it ("About code owners", docs.github.com): one rule a line, a
 * gitignore-style pattern then owners (`@user`, `@org/team`, or an email); `#` starts a comment;
 * the last rule matching a file wins, and a rule with no owners leaves the file unowned.
 */

/** Where GitHub looks for the file, in its order; the first found is used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface CodeOwnersRule {
  pattern: string;
  /** `user` or `org/team`, without the `@`; emails are left out (they cannot be asked to review by login). */
  owners: string[];
  matches: (path: string) => boolean;
}

/** The rules of a CODEOWNERS file, in file order; lines that are not valid rules are skipped. */
export function parseCodeOwners(text: string): CodeOwnersRule[] {
  const rules: CodeOwnersRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // An unescaped `#` at the start or after whitespace starts a comment; `\#` is a literal one.
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const [pattern, ...tokens] = line.split(/\s+/) as [string, ...string[]];
    const matches = patternMatcher(pattern.replace(/\\#/g, "#"));
    if (!matches) continue;
    const owners = tokens.filter((token) => /^@[\w.-]+(\/[\w.-]+)?$/.test(token)).map((token) => token.slice(1));
    rules.push({ pattern, owners, matches });
  }
  return rules;
}

/** The owners of `path` by the last matching rule; empty when none matches or it names no owner. */
export function ownersOf(rules: readonly CodeOwnersRule[], path: string): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    if (rules[i]!.matches(path)) return rules[i]!.owners;
  }
  return [];
}

/**
 * Each owner of any of `paths` with how many of them they own, most first (then by name). Owners
 * in `exclude` (the author) are left out, compared case-insensitively.
 */
export function ownersOfFiles(
  rules: readonly CodeOwnersRule[],
  paths: readonly string[],
  exclude: readonly (string | null)[] = [],
): { owner: string; files: number }[] {
  const skip = new Set(exclude.filter((login): login is string => login !== null).map((l) => l.toLowerCase()));
  const counts = new Map<string, number>();
  for (const path of paths) {
    for (const owner of new Set(ownersOf(rules, path))) {
      if (!skip.has(owner.toLowerCase())) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([owner, files]) => ({ owner, files }))
    .sort((a, b) => b.files - a.files || a.owner.localeCompare(b.owner));
}

/**
 * A gitignore-style pattern as a test of a repository path. A leading `/` or a `/` inside anchors
 * it at the root, otherwise it matches at any depth; a trailing `/` matches only a directory (and
 * everything below it); `*` and `?` stay within one path segment, `**` crosses them. A pattern
 * matching a directory owns what is below it, except `dir/*`, which GitHub documents as owning only
 * the files directly in `dir`. Null for a pattern GitHub rejects (`!negation`, `[ranges]`).
 */
function patternMatcher(pattern: string): ((path: string) => boolean) | null {
  if (pattern.startsWith("!") || pattern.includes("[")) return null;
  const isDirectory = pattern.endsWith("/");
  let body = pattern.replace(/\/+$/, "");
  const isAnchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "") return null;
  const source = body
    .split(/(\*\*\/|\/\*\*$|\*\*|\*|\?)/)
    .map((part) => {
      if (part === "**/") return "(?:.*/)?";
      if (part === "/**") return "/.*";
      if (part === "**") return ".*";
      if (part === "*") return "[^/]*";
      if (part === "?") return "[^/]";
      return part.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  const below = isDirectory ? "/.*" : body.endsWith("/*") ? "" : "(?:/.*)?";
  const regex = new RegExp(`^${isAnchored ? "" : "(?:.*/)?"}${source}${below}$`);
  return (path) => regex.test(path.replace(/^\/+/, ""));
}
