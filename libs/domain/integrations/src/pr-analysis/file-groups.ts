import type { FileGroup } from "@devflow/contracts";

export type FileKind = FileGroup["kind"];

/** One changed file as the analysis sees it. */
export interface ChangedFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
}

/** Groups listed one by one; the smaller rest is folded into one counted group, never dropped. */
export const FILE_GROUPS_MAX = 40;

// Order matters: a test under migrations/ is a test, a Dockerfile under src/ is infra.
const TEST = [
  /(^|\/)(__tests__|__mocks__|tests?|spec|e2e)\//,
  /\.(test|spec|int\.test)\.[cm]?[jt]sx?$/,
  /_test\.(go|py)$/,
  /(^|\/)test_[^/]+\.py$/,
];
const MIGRATION = [/(^|\/)migrations?\//, /\.sql$/];
const INFRA = [
  /^(infra|terraform|deploy|k8s|helm|charts)\//,
  /^\.github\/workflows\//,
  /(^|\/)Dockerfile[^/]*$/,
  /(^|\/)docker-compose[^/]*\.ya?ml$/,
  /\.(tf|tfvars)$/,
];
const DOCS = [/\.(md|mdx|rst|adoc|txt)$/i, /^docs\//];
const CONFIG = [
  /(^|\/)(package(-lock)?\.json|pnpm-lock\.yaml|yarn\.lock|tsconfig[^/]*\.json)$/,
  /\.(json|ya?ml|toml|ini|env)$/,
  /(^|\/)\.[^/]+rc(\.[a-z]+)?$/,
];
const SOURCE = /\.([cm]?[jt]sx?|py|go|rs|java|kt|rb|cs|php|swift|c|cc|cpp|h|hpp|scala|prisma|vue|svelte)$/;

/** What a path is, by convention: tests, migrations, infrastructure, docs, config, source, or other. */
export function fileKind(path: string): FileKind {
  if (TEST.some((re) => re.test(path))) return "test";
  if (MIGRATION.some((re) => re.test(path))) return "migration";
  if (INFRA.some((re) => re.test(path))) return "infra";
  if (DOCS.some((re) => re.test(path))) return "docs";
  if (CONFIG.some((re) => re.test(path))) return "config";
  if (SOURCE.test(path)) return "source";
  return "other";
}

/**
 * The area a file belongs to: its first two directories ("libs/domain", "apps/web"), or its one
 * directory, or "(root)". Coarse on purpose: areas are what a reviewer owns, and what the comment
 * counts; finer directories would make a 500-file pull request as many groups as files.
 */
export function areaOf(path: string): string {
  const dirs = path.split("/").slice(0, -1);
  return dirs.length === 0 ? "(root)" : dirs.slice(0, 2).join("/");
}

/**
 * The files grouped by area and kind, largest first (lines changed, then files). Every file is
 * counted: past FILE_GROUPS_MAX the rest are summed into one "N other groups" entry, and files
 * GitHub reported but that were not fetched (`unfetched`) into one more, so the counts always add
 * up to the pull request's.
 */
export function groupFiles(
  files: readonly ChangedFile[],
  unfetched: { files: number; additions: number; deletions: number } = { files: 0, additions: 0, deletions: 0 },
): FileGroup[] {
  const byKey = new Map<string, FileGroup>();
  for (const file of files) {
    const kind = fileKind(file.filename);
    const name = areaOf(file.filename);
    const key = `${name}\0${kind}`;
    const group = byKey.get(key) ?? { name, kind, files: 0, additions: 0, deletions: 0 };
    group.files += 1;
    group.additions += file.additions;
    group.deletions += file.deletions;
    byKey.set(key, group);
  }
  const sorted = [...byKey.values()].sort(
    (a, b) =>
      b.additions + b.deletions - (a.additions + a.deletions) || b.files - a.files || a.name.localeCompare(b.name),
  );
  const listed = sorted.slice(0, FILE_GROUPS_MAX);
  const rest = sorted.slice(FILE_GROUPS_MAX);
  if (rest.length > 0) {
    listed.push({
      name: `${rest.length} other groups`,
      kind: "other",
      files: sum(rest, "files"),
      additions: sum(rest, "additions"),
      deletions: sum(rest, "deletions"),
    });
  }
  if (unfetched.files > 0) {
    listed.push({ name: "not fetched (over the file limit)", kind: "other", ...unfetched });
  }
  return listed;
}

function sum(groups: readonly FileGroup[], field: "files" | "additions" | "deletions"): number {
  return groups.reduce((total, group) => total + group[field], 0);
}
