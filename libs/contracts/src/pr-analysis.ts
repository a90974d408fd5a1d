import { z } from "zod";
import { TriagePrioritySchema } from "./triage";

/**
 * The pull-request analysis: what DevFlow read of a pull request at one head commit (files grouped,
 * risk with its reasons, line findings, the design docs it implements at the version read), the
 * quality gates it was held to, and where it said so on GitHub (the sticky comment, the check run).
 * Stored in pull_requests.analysis; rule-based, so every number says which rule produced it.
 */

/** Files read per analysis; a larger pull request is counted in full but scanned only this far. */
export const PR_ANALYSIS_FILES_MAX = 300;
/** Findings listed per analysis; the rest are counted. */
export const PR_ANALYSIS_FINDINGS_MAX = 100;

/**
 * Per-repository quality gates, kept under `qualityGates` in repositories.settings. Every field has
 * a default, so `{}` (a repository nobody configured) is held to the defaults.
 */
export const QualityGateSettingsSchema = z.object({
  /** Fails when the risk score is above this (0–100). */
  maxRisk: z.number().int().min(0).max(100).default(70),
  /** Fails when source files changed and no test file did. */
  requireTestsWithSource: z.boolean().default(true),
  /** Fails when the pull request names no design doc of the organization. */
  requireLinkedDoc: z.boolean().default(false),
  /** Fails when a linked doc is not approved; neutral when no doc is linked (nothing to judge). */
  requireApprovedDoc: z.boolean().default(false),
});
export type QualityGateSettings = z.infer<typeof QualityGateSettingsSchema>;

/** repositories.settings as far as the analysis reads it; other keys are left alone. */
export const RepositorySettingsSchema = z.looseObject({
  qualityGates: QualityGateSettingsSchema.default(QualityGateSettingsSchema.parse({})),
});

export const QUALITY_GATES = ["maxRisk", "requireTestsWithSource", "requireLinkedDoc", "requireApprovedDoc"] as const;
export const GATE_OUTCOMES = ["passed", "failed", "neutral", "skipped"] as const;
export const GateResultSchema = z.object({
  gate: z.enum(QUALITY_GATES),
  outcome: z.enum(GATE_OUTCOMES),
  reason: z.string(),
});
export type GateResult = z.infer<typeof GateResultSchema>;
export const CHECK_CONCLUSIONS = ["success", "failure", "neutral"] as const;
export type CheckConclusion = (typeof CHECK_CONCLUSIONS)[number];

export const FINDING_RULES = ["todo-added", "debug-statement", "possible-secret", "any-cast", "lint-disabled"] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

export const PrFindingSchema = z.object({
  /** sha256 of rule, file and the line's text with whitespace collapsed: the same line keeps it across pushes. */
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  rule: z.enum(FINDING_RULES),
  severity: z.enum(["info", "warning", "critical"]),
  file: z.string(),
  /** The line in the head commit's version of the file. */
  line: z.number().int().positive(),
  message: z.string(),
  /** The head commit the finding was first reported at: older than this analysis's when it was known before. */
  firstSeenSha: z.string(),
});
export type PrFinding = z.infer<typeof PrFindingSchema>;

export const FileGroupSchema = z.object({
  /** A top-level area ("libs/domain/documents", "prisma/migrations") and what kind of file. */
  name: z.string(),
  kind: z.enum(["source", "test", "docs", "config", "migration", "infra", "other"]),
  files: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
});
export type FileGroup = z.infer<typeof FileGroupSchema>;

export const DocRefSchema = z.object({
  documentId: z.uuid(),
  title: z.string(),
  status: z.string(),
  /** The document's version (operations applied) when it was read. */
  version: z.number().int().nonnegative(),
  /** The newest named revision at or before that version, if any. */
  revision: z.object({ id: z.uuid(), name: z.string(), version: z.number().int() }).nullable(),
  /**
   * Linked from the pull request's text, linked from an issue the pull request references (when it
   * links no doc itself), or found by searching for its title and body.
   */
  source: z.enum(["linked", "issue", "retrieved"]),
});
export type DocRef = z.infer<typeof DocRefSchema>;

export const DocComplianceSchema = z.object({
  documentId: z.uuid(),
  version: z.number().int().nonnegative(),
  outcome: z.enum(["covered", "partial", "outside", "unknown"]),
  /** Paths the doc names that the pull request touches. */
  matchedPaths: z.array(z.string()),
  /** Areas the pull request changes that the doc never names. */
  unmentionedAreas: z.array(z.string()),
  explanation: z.string(),
});
export type DocCompliance = z.infer<typeof DocComplianceSchema>;

/** Findings a language model may add per analysis; more are dropped, counted. */
export const PR_REVIEW_FINDINGS_MAX = 10;

/**
 * A finding the configured language model added. Fingerprinted like the rule ones (rule "model",
 * file, the line's normalized text) and only ever at an added line of the diff.
 */
export const PrModelFindingSchema = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  source: z.literal("model"),
  severity: z.enum(["info", "warning", "critical"]),
  file: z.string(),
  line: z.number().int().positive(),
  message: z.string(),
  firstSeenSha: z.string(),
});
export type PrModelFinding = z.infer<typeof PrModelFindingSchema>;

/** The model's reading of one doc the analysis used, in its own words. */
export const PrDocNoteSchema = z.object({
  documentId: z.uuid(),
  verdict: z.enum(["follows", "deviates", "unclear"]),
  explanation: z.string(),
});
export type PrDocNote = z.infer<typeof PrDocNoteSchema>;

/**
 * What the configured language model said of the pull request, or why it said nothing usable.
 * Advisory: the quality gates and the check run's conclusion never read it.
 */
export const PrReviewSchema = z.union([
  z.object({
    /** The model id ("gpt-4o-mini") and its provider, as the comment names them. */
    model: z.string(),
    provider: z.string(),
    summary: z.string(),
    findings: z.array(PrModelFindingSchema),
    /** Findings the answer gave that were dropped: not at an added line of the diff, invalid, or over the cap. */
    droppedFindings: z.number().int().nonnegative(),
    docNotes: z.array(PrDocNoteSchema),
  }),
  z.object({ model: z.string(), provider: z.string(), error: z.string() }),
]);
export type PrReview = z.infer<typeof PrReviewSchema>;

/** Issues listed per analysis; GitHub's closing keywords and mentions past this are dropped. */
export const PR_LINKED_ISSUES_MAX = 20;

/**
 * An issue of the same repository the pull request's title or body references: "closes" for
 * GitHub's closing keywords (`fixes #12`), "mentions" for a plain `#12`. Title, state, url and
 * priority come from the stored issue; an issue DevFlow has not stored is listed by number only.
 */
export const PrLinkedIssueSchema = z.object({
  number: z.number().int().positive(),
  relation: z.enum(["closes", "mentions"]),
  title: z.string().nullable(),
  state: z.string().nullable(),
  url: z.string().nullable(),
  /** The stored triage's suggested priority, if the issue was triaged. */
  priority: TriagePrioritySchema.nullable(),
});
export type PrLinkedIssue = z.infer<typeof PrLinkedIssueSchema>;

/**
 * A suggested reviewer: a code owner of changed files (CODEOWNERS; `login` is a user or an
 * `org/team`) or someone who wrote other analysed pull requests in the same directories. `kind` and
 * `reason` are absent in analyses stored before code owners were read (all "history" ones).
 */
export const PrReviewerSchema = z.object({
  login: z.string(),
  pullRequests: z.number().int(),
  directories: z.array(z.string()),
  kind: z.enum(["owner", "history"]).optional(),
  reason: z.string().optional(),
});
export type PrReviewer = z.infer<typeof PrReviewerSchema>;

export const PrAnalysisSchema = z.object({
  v: z.literal(1),
  headSha: z.string(),
  analyzedAt: z.iso.datetime(),
  summary: z.object({
    /** Every changed file GitHub reports, whether or not it was read. */
    totalFiles: z.number().int().nonnegative(),
    analyzedFiles: z.number().int().nonnegative(),
    /** Files whose diff GitHub did not send or that were over the budget: counted, not scanned for findings. */
    unscannedFiles: z.number().int().nonnegative(),
    additions: z.number().int().nonnegative(),
    deletions: z.number().int().nonnegative(),
    commits: z.number().int().nonnegative(),
    groups: z.array(FileGroupSchema),
    /** The top-level directories touched, for suggesting reviewers of later pull requests. */
    directories: z.array(z.string()),
  }),
  risk: z.object({
    score: z.number().int().min(0).max(100),
    level: z.enum(["low", "medium", "high"]),
    reasons: z.array(z.object({ rule: z.string(), points: z.number().int(), detail: z.string() })),
  }),
  effort: z.object({ size: z.enum(["XS", "S", "M", "L", "XL"]), reviewMinutes: z.number().int(), basis: z.string() }),
  findings: z.array(PrFindingSchema),
  /** Findings beyond PR_ANALYSIS_FINDINGS_MAX, counted. */
  omittedFindings: z.number().int().nonnegative(),
  securityConcerns: z.array(z.string()),
  missingTests: z.array(z.string()),
  docs: z.array(DocRefSchema),
  compliance: z.array(DocComplianceSchema),
  reviewers: z.array(PrReviewerSchema),
  /** Issues the title or body references; absent in analyses stored before they were read. */
  linkedIssues: z.array(PrLinkedIssueSchema).max(PR_LINKED_ISSUES_MAX).optional(),
  gates: z.array(GateResultSchema),
  conclusion: z.enum(CHECK_CONCLUSIONS),
  /** The sticky comment's id on GitHub, once posted. */
  commentId: z.number().int().nullable(),
  checkRunId: z.number().int().nullable(),
  /** The configured language model's review; absent without one (and in analyses stored before it existed). */
  review: PrReviewSchema.optional(),
});
export type PrAnalysis = z.infer<typeof PrAnalysisSchema>;

/** The hidden marker in the sticky comment, to find it again when its id was lost. */
export const PR_ANALYSIS_MARKER = "devflow:pr-analysis";
export const PR_ANALYSIS_CHECK_NAME = "DevFlow quality gates";
