import type { DocCompliance } from "@devflow/contracts";
import { areaOf } from "./file-groups";
import type { ScannedFile } from "./findings";

/** What a design doc names that a diff can be compared with. */
export interface DocMentions {
  /** Paths and file names ("libs/domain/documents/", "pull-requests.ts"). */
  paths: string[];
  /** Code identifiers in backticks (`applyGitHubEvent`). */
  identifiers: string[];
}

const MENTIONS_MAX = 100;
const PATH =
  /(?<![\w:/.-])((?:[\w@.-]+\/)+[\w.-]*|[\w-]+\.(?:[cm]?[jt]sx?|py|go|rs|prisma|sql|ya?ml|json|toml))(?![\w/])/g;
const IDENTIFIER = /`([A-Za-z_$][\w$]{3,})(?:\(\))?`/g;

/**
 * The paths and identifiers a doc's markdown names, each once, at most MENTIONS_MAX of each. URLs
 * are left out (a link to github.com is not a file of the repository).
 */
export function docMentions(markdown: string): DocMentions {
  const text = markdown.replace(/\bhttps?:\/\/\S+/g, " ");
  const paths = new Set<string>();
  for (const match of text.matchAll(PATH)) {
    const path = match[1]!.replace(/^\.\//, "");
    if (path.length > 1 && !/^\d/.test(path)) paths.add(path);
    if (paths.size >= MENTIONS_MAX) break;
  }
  const identifiers = new Set<string>();
  for (const match of text.matchAll(IDENTIFIER)) {
    identifiers.add(match[1]!);
    if (identifiers.size >= MENTIONS_MAX) break;
  }
  return { paths: [...paths], identifiers: [...identifiers] };
}

/** Whether a doc's path names `file`: the file itself, a directory above it, or its file name. */
export function pathNames(docPath: string, file: string): boolean {
  const path = docPath.replace(/\/$/, "");
  if (file === path || file.startsWith(`${path}/`)) return true;
  return !path.includes("/") && (file.endsWith(`/${path}`) || file === path);
}

/**
 * How the pull request's files line up with what a linked doc names, at the version read. The
 * rule, stated in the explanation too: a doc "covers" the pull request when every area it
 * changes has a file the doc names (itself, its directory or its file name); "partial" when some
 * do, or none do but identifiers the doc puts in backticks appear in added lines; "outside" when
 * neither; "unknown" when the doc names no paths or identifiers at all. It compares names, not
 * meaning: it says where to look, not whether the code does what the doc says.
 */
export function docCompliance(
  doc: { documentId: string; version: number },
  mentions: DocMentions,
  files: readonly ScannedFile[],
): DocCompliance {
  const base = { documentId: doc.documentId, version: doc.version };
  if (mentions.paths.length === 0 && mentions.identifiers.length === 0) {
    return {
      ...base,
      outcome: "unknown",
      matchedPaths: [],
      unmentionedAreas: [],
      explanation: "The doc names no file paths or code identifiers, so nothing can be compared with the diff.",
    };
  }
  const matchedPaths = mentions.paths.filter((path) => files.some((file) => pathNames(path, file.filename)));
  const areas = new Map<string, boolean>();
  for (const file of files) {
    const named = mentions.paths.some((path) => pathNames(path, file.filename));
    areas.set(areaOf(file.filename), (areas.get(areaOf(file.filename)) ?? false) || named);
  }
  const unmentionedAreas = [...areas].filter(([, named]) => !named).map(([area]) => area);
  const added = files.flatMap((file) => file.added ?? []).map(([, text]) => text);
  const usedIdentifiers = mentions.identifiers.filter((id) =>
    added.some((text) => new RegExp(`\\b${id.replace(/\$/g, "\\$")}\\b`).test(text)),
  );
  const coveredAreas = areas.size - unmentionedAreas.length;
  const outcome: DocCompliance["outcome"] =
    areas.size > 0 && unmentionedAreas.length === 0
      ? "covered"
      : coveredAreas > 0 || usedIdentifiers.length > 0
        ? "partial"
        : "outside";
  const explanation =
    `The doc names ${mentions.paths.length} path(s) and ${mentions.identifiers.length} identifier(s); ` +
    `${coveredAreas} of the ${areas.size} area(s) this pull request changes contain a file it names` +
    (usedIdentifiers.length > 0 ? `, and added lines use ${usedIdentifiers.length} of its identifiers` : "") +
    ". Compared by name only.";
  return { ...base, outcome, matchedPaths, unmentionedAreas, explanation };
}
