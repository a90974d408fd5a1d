import type { TriagePriority, TriageReasoned } from "@devflow/contracts";

/**
 * Rule-based triage: what an issue's own words say about its priority, kind and component. It
 * works with no model at all, and every suggestion carries the words that led to it, so a person
 * can see why and disagree. Labels and components are only ever chosen from what the repository
 * already uses: a suggestion nobody can apply is noise.
 */

/** Words (matched as whole words, case-insensitive) that raise an issue's priority, strongest first. */
const PRIORITY_SIGNALS: readonly { priority: TriagePriority; words: readonly string[] }[] = [
  {
    priority: "P1",
    words: [
      "outage",
      "down",
      "data loss",
      "lost data",
      "corrupted",
      "corruption",
      "security",
      "vulnerability",
      "exploit",
      "leak",
      "crash",
      "crashes",
      "production",
      "urgent",
      "sev1",
      "p0",
      "p1",
    ],
  },
  {
    priority: "P2",
    words: ["regression", "broken", "fails", "failing", "error", "cannot", "can't", "blocked", "timeout", "slow"],
  },
];

/** The kinds of issue, the words that suggest each, and the label names a repository may use for it. */
const KINDS: readonly { kind: string; words: readonly string[]; labels: readonly string[] }[] = [
  {
    kind: "bug",
    words: ["bug", "error", "crash", "crashes", "broken", "fails", "failing", "exception", "regression", "wrong"],
    labels: ["bug", "type: bug", "kind/bug", "defect"],
  },
  {
    kind: "feature",
    words: ["feature", "support", "add", "allow", "would be nice", "proposal", "request"],
    labels: ["enhancement", "feature", "type: feature", "kind/feature", "feature request"],
  },
  {
    kind: "documentation",
    words: ["docs", "documentation", "readme", "typo", "guide"],
    labels: ["documentation", "docs", "type: docs", "kind/docs"],
  },
  {
    kind: "performance",
    words: ["slow", "slower", "latency", "performance", "memory", "cpu", "timeout"],
    labels: ["performance", "perf", "type: performance", "kind/performance"],
  },
  {
    kind: "security",
    words: ["security", "vulnerability", "cve", "xss", "injection", "exploit", "leak"],
    labels: ["security", "type: security", "kind/security"],
  },
];

/** Label prefixes that name a component ("area: billing", "component/editor"). */
const COMPONENT_PREFIX = /^(?:area|component|comp|module|scope)\s*[:/]\s*(.+)$/i;

/** The text as lower-case words between single spaces (possessives dropped), for whole-word matching. */
function wordsIn(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .replace(/[^a-z0-9'\s]+/g, " ")
    .replace(/\s+/g, " ");
  return ` ${words} `;
}

function found(haystack: string, words: readonly string[]): string[] {
  return words.filter((word) => haystack.includes(` ${word} `));
}

/** P1 when the text speaks of outages, data loss, security or crashes; P2 of breakage; P3 otherwise. */
export function suggestPriority(text: string): TriageReasoned<TriagePriority> {
  const haystack = wordsIn(text);
  for (const { priority, words } of PRIORITY_SIGNALS) {
    const matched = found(haystack, words);
    if (matched.length > 0) return { value: priority, because: matched.slice(0, 5) };
  }
  return { value: "P3", because: [] };
}

/**
 * The repository's labels whose kind the text suggests (a kind with no label in the repository is
 * suggested by its kind name only when the repository uses no labels at all yet).
 */
export function suggestLabels(text: string, vocabulary: readonly string[]): TriageReasoned<string>[] {
  const haystack = wordsIn(text);
  const byLowerName = new Map(vocabulary.map((label) => [label.toLowerCase(), label]));
  const out: TriageReasoned<string>[] = [];
  for (const { kind, words, labels } of KINDS) {
    const matched = found(haystack, words);
    if (matched.length === 0) continue;
    const label =
      labels.map((name) => byLowerName.get(name)).find((name) => name !== undefined) ??
      (vocabulary.length === 0 ? kind : undefined);
    if (label) out.push({ value: label, because: matched.slice(0, 5) });
  }
  return out;
}

/**
 * The component label ("area: editor") whose name the text mentions most, among the repository's
 * component labels; null when none is mentioned.
 */
export function suggestComponent(text: string, vocabulary: readonly string[]): TriageReasoned<string> | null {
  const haystack = wordsIn(text);
  let best: TriageReasoned<string> | null = null;
  for (const label of vocabulary) {
    const name = COMPONENT_PREFIX.exec(label)?.[1]?.trim().toLowerCase();
    if (!name) continue;
    const matched = found(haystack, [...new Set([name, ...name.split(/[\s_-]+/).filter((w) => w.length > 2)])]);
    if (matched.length > (best?.because.length ?? 0)) best = { value: label, because: matched };
  }
  return best;
}
