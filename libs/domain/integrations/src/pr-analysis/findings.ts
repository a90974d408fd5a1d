import type { FindingRule, PrFinding } from "@devflow/contracts";
import { createHash } from "node:crypto";
import { fileKind } from "./file-groups";
import type { AddedLine } from "./patch-lines";

/** A changed file with the lines it adds; null when GitHub sent no diff or it was over budget. */
export interface ScannedFile {
  filename: string;
  added: AddedLine[] | null;
}

interface LineRule {
  rule: FindingRule;
  severity: PrFinding["severity"];
  /** Which files the rule reads. */
  applies: (path: string) => boolean;
  test: RegExp;
  message: string;
}

const CODE = /\.([cm]?[jt]sx?|py|go|rs|java|kt|rb|cs|php|swift|vue|svelte)$/;
const TYPESCRIPT = /\.[cm]?tsx?$/;
const any = () => true;
const code = (path: string) => CODE.test(path);

/**
 * Line rules, each run on every added line of the files it applies to. Deliberately plain regular
 * expressions: a reviewer can read why a line was flagged, and a false positive costs a glance.
 * A secret's value is never repeated in the message (the comment is public to the repository).
 */
const RULES: readonly LineRule[] = [
  {
    rule: "possible-secret",
    severity: "critical",
    applies: any,
    test: /AKIA[0-9A-Z]{16}|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----|\b(?:password|passwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["'][^"'\s]{8,}["']/i,
    message:
      "Looks like a credential committed in the code (key, token or password literal); the value is not repeated here",
  },
  {
    rule: "debug-statement",
    severity: "warning",
    applies: (path) => code(path) && fileKind(path) !== "test",
    test: /\bconsole\.(?:log|debug|trace)\s*\(|^\s*debugger\s*;?\s*$|\bbreakpoint\(\)|\bpdb\.set_trace\(\)/,
    message: "Debugging statement added (console.log/debug/trace, debugger, breakpoint)",
  },
  {
    rule: "any-cast",
    severity: "warning",
    applies: (path) => TYPESCRIPT.test(path),
    test: /\bas\s+any\b|:\s*any\b(?!\w)|<any>/,
    message: "`any` turns the type checker off for this value",
  },
  {
    rule: "lint-disabled",
    severity: "warning",
    applies: any,
    test: /eslint-disable|@ts-ignore|@ts-nocheck|@ts-expect-error|#\s*noqa\b|#\s*type:\s*ignore|\/\/\s*nolint\b|#\s*pylint:\s*disable/,
    message: "A lint or type check is switched off here",
  },
  {
    rule: "todo-added",
    severity: "info",
    applies: any,
    test: /\b(?:TODO|FIXME|XXX|HACK)\b/,
    message: "New TODO/FIXME: work left for later",
  },
];

/** The line's text for fingerprinting: whitespace collapsed, so re-indenting keeps the fingerprint. */
export function normalizeLine(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/**
 * A finding's identity across pushes: the rule, the file and the line's normalized text — not
 * its line number, which moves whenever lines are added above it. The same text flagged twice in
 * one file is one finding (at its first line). A language model's findings use the rule "model".
 */
export function fingerprintOf(rule: FindingRule | "model", file: string, text: string): string {
  return createHash("sha256")
    .update(`${rule}\0${file}\0${normalizeLine(text)}`)
    .digest("hex")
    .slice(0, 16);
}

/**
 * The findings in the added lines of `files`, in file order then line order, each once per
 * fingerprint. `known` maps fingerprints reported by an earlier analysis of this pull request to
 * the head commit they were first seen at, so a finding keeps its first sighting across pushes.
 */
export function findLineFindings(
  files: readonly ScannedFile[],
  headSha: string,
  known: ReadonlyMap<string, string> = new Map(),
): PrFinding[] {
  const findings: PrFinding[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (!file.added) continue;
    const rules = RULES.filter((rule) => rule.applies(file.filename));
    for (const [line, text] of file.added) {
      for (const rule of rules) {
        if (!rule.test.test(text)) continue;
        const fingerprint = fingerprintOf(rule.rule, file.filename, text);
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        findings.push({
          fingerprint,
          rule: rule.rule,
          severity: rule.severity,
          file: file.filename,
          line,
          message: rule.message,
          firstSeenSha: known.get(fingerprint) ?? headSha,
        });
      }
    }
  }
  return findings;
}

const SEVERITY_ORDER: Record<PrFinding["severity"], number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first, stable otherwise: which findings are listed when there are too many. */
export function bySeverity<T extends Pick<PrFinding, "severity">>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
