import { PR_ANALYSIS_MARKER, type GateResult, type PrAnalysis, type PrReview } from "@devflow/contracts";

/** Group rows shown in the comment; the rest are summed in one row (the stored analysis keeps them all). */
const COMMENT_GROUPS_MAX = 15;
const COMMENT_FINDINGS_MAX = 30;
/** GitHub rejects comment bodies and check summaries over 65,536 characters. */
const GITHUB_TEXT_MAX = 65_000;

const GATE_ICON: Record<GateResult["outcome"], string> = {
  passed: "✅",
  failed: "❌",
  neutral: "➖",
  skipped: "⏭️",
};

/** The sticky comment's markdown, ending with the hidden marker that lets the workflow find it again. */
export function commentBody(analysis: PrAnalysis, docUrl: (documentId: string) => string): string {
  const { summary, risk, effort } = analysis;
  const short = analysis.headSha.slice(0, 7);
  const lines: string[] = [
    `### DevFlow analysis of ${short}`,
    "",
    `**Risk ${risk.score}/100 (${risk.level})** · effort ${effort.size}, about ${effort.reviewMinutes} min to review (${effort.basis}) · ` +
      `${summary.totalFiles} files, +${summary.additions} −${summary.deletions}, ${summary.commits} commit(s)`,
    "",
  ];
  if (summary.analyzedFiles < summary.totalFiles || summary.unscannedFiles > 0) {
    lines.push(
      `> Read ${summary.analyzedFiles} of ${summary.totalFiles} files; ${summary.unscannedFiles} of those had no diff to scan (binary, too large, or over the budget).`,
      "",
    );
  }
  lines.push("| Area | Kind | Files | + | − |", "| --- | --- | ---: | ---: | ---: |");
  const shown = summary.groups.slice(0, COMMENT_GROUPS_MAX);
  const rest = summary.groups.slice(COMMENT_GROUPS_MAX);
  for (const group of shown) {
    lines.push(`| ${cell(group.name)} | ${group.kind} | ${group.files} | ${group.additions} | ${group.deletions} |`);
  }
  if (rest.length > 0) {
    const total = (field: "files" | "additions" | "deletions") => rest.reduce((n, group) => n + group[field], 0);
    lines.push(`| ${rest.length} more groups | | ${total("files")} | ${total("additions")} | ${total("deletions")} |`);
  }
  lines.push("", "**Quality gates**", "");
  for (const gate of analysis.gates) lines.push(`- ${GATE_ICON[gate.outcome]} \`${gate.gate}\`: ${gate.reason}`);
  if (risk.reasons.length > 0) {
    lines.push("", "**Why this risk**", "");
    for (const reason of risk.reasons) lines.push(`- +${reason.points} ${reason.detail}`);
  }
  if (analysis.securityConcerns.length > 0) {
    lines.push("", "**Security**", "");
    for (const concern of analysis.securityConcerns) lines.push(`- ${concern}`);
  }
  if (analysis.missingTests.length > 0) {
    lines.push("", `**No test changes in:** ${analysis.missingTests.map((area) => `\`${area}\``).join(", ")}`);
  }
  if (analysis.findings.length > 0) {
    const fresh = analysis.findings.filter((f) => f.firstSeenSha === analysis.headSha).length;
    lines.push("", `**Findings** (${analysis.findings.length}, ${fresh} new in this push)`, "");
    for (const f of analysis.findings.slice(0, COMMENT_FINDINGS_MAX)) {
      const isNew = f.firstSeenSha === analysis.headSha ? " 🆕" : "";
      lines.push(`- ${f.severity} \`${f.rule}\` ${cell(f.file)}:${f.line}: ${f.message}${isNew}`);
    }
    const more = analysis.findings.length - COMMENT_FINDINGS_MAX + analysis.omittedFindings;
    if (more > 0) lines.push(`- … and ${more} more (see the check run)`);
  }
  if (analysis.docs.length > 0) {
    lines.push("", "**Design docs**", "");
    for (const doc of analysis.docs) {
      const revision = doc.revision ? `, revision “${doc.revision.name}”` : "";
      const compliance = analysis.compliance.find((c) => c.documentId === doc.documentId);
      const verdict = compliance ? `: ${compliance.outcome}. ${compliance.explanation}` : "";
      lines.push(
        `- [${cell(doc.title)}](${docUrl(doc.documentId)}) (${doc.source}, ${doc.status}, read at v${doc.version}${revision})${verdict}`,
      );
    }
  }
  if (analysis.linkedIssues && analysis.linkedIssues.length > 0) {
    lines.push("", `**Linked issues:** ${analysis.linkedIssues.map(linkedIssue).join(", ")}`);
  }
  if (analysis.review) lines.push(...reviewSection(analysis, analysis.review, docUrl));
  if (analysis.reviewers.length > 0) {
    const who = analysis.reviewers.map((r) => `@${r.login} (${r.reason ?? r.directories.join(", ")})`).join(", ");
    lines.push("", `**Suggested reviewers:** ${who}`);
  }
  lines.push("", `<!-- ${PR_ANALYSIS_MARKER} -->`);
  return fit(lines.join("\n"), `\n\n<!-- ${PR_ANALYSIS_MARKER} -->`);
}

/**
 * The language model's review, apart from the rule-based sections above and labelled with the model,
 * so a reader knows which findings a rule stands behind. Its text is the model's: kept to one line
 * each, with HTML and @mentions defused (the comment must not ping people or hide markup).
 */
function reviewSection(analysis: PrAnalysis, review: PrReview, docUrl: (documentId: string) => string): string[] {
  const lines = ["", "---", "", `#### From ${cell(review.model)}`, ""];
  if ("error" in review) {
    lines.push(`_The model's review is missing for this push; everything above is rule-based._`);
    return lines;
  }
  lines.push(`_A language model's reading (${review.provider}): advice only; the quality gates do not use it._`);
  lines.push("", modelText(review.summary));
  if (review.findings.length > 0) {
    lines.push("", `**Findings** (${review.findings.length})`, "");
    for (const f of review.findings) {
      const isNew = f.firstSeenSha === analysis.headSha ? " 🆕" : "";
      lines.push(`- ${f.severity} ${cell(f.file)}:${f.line}: ${modelText(f.message)}${isNew}`);
    }
  }
  if (review.docNotes.length > 0) {
    lines.push("", "**Design docs**", "");
    for (const note of review.docNotes) {
      const title = analysis.docs.find((d) => d.documentId === note.documentId)?.title ?? note.documentId;
      lines.push(`- [${cell(title)}](${docUrl(note.documentId)}): ${note.verdict}. ${modelText(note.explanation)}`);
    }
  }
  return lines;
}

/** "closes [#12](url) Title (open, P1)"; an issue DevFlow has not stored is its number only. */
function linkedIssue(issue: NonNullable<PrAnalysis["linkedIssues"]>[number]): string {
  const ref = issue.url ? `[#${issue.number}](${issue.url})` : `#${issue.number}`;
  if (issue.title === null) return `${issue.relation} ${ref}`;
  const facts = [issue.state, issue.priority].filter((fact): fact is string => fact !== null);
  return `${issue.relation} ${ref} ${cell(issue.title)}${facts.length > 0 ? ` (${facts.join(", ")})` : ""}`;
}

function modelText(text: string): string {
  return cell(text.replace(/\s+/g, " ").trim())
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=[\w-])/g, "@\u200b");
}

/**
 * The check run's title and summary: each gate's outcome and reason, then the findings. Rule-based
 * only: the model's review stays in the comment, so a gate never passes or fails on a model's say.
 */
export function checkRunOutput(analysis: PrAnalysis): { title: string; summary: string } {
  const failed = analysis.gates.filter((gate) => gate.outcome === "failed").length;
  const title =
    analysis.conclusion === "success"
      ? `All quality gates passed (risk ${analysis.risk.score})`
      : analysis.conclusion === "failure"
        ? `${failed} quality gate(s) failed (risk ${analysis.risk.score})`
        : `Some gates could not be judged (risk ${analysis.risk.score})`;
  const lines = ["| Gate | Result | Why |", "| --- | --- | --- |"];
  for (const gate of analysis.gates) lines.push(`| \`${gate.gate}\` | ${gate.outcome} | ${cell(gate.reason)} |`);
  if (analysis.findings.length > 0) {
    lines.push("", "**Findings**", "");
    for (const f of analysis.findings)
      lines.push(`- ${f.severity} \`${f.rule}\` ${f.file}:${f.line} (${f.fingerprint})`);
    if (analysis.omittedFindings > 0) lines.push(`- … and ${analysis.omittedFindings} more not listed`);
  }
  return { title, summary: fit(lines.join("\n"), "") };
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Cut to GitHub's limit, saying so, keeping `tail` (the marker) intact. */
function fit(text: string, tail: string): string {
  if (text.length <= GITHUB_TEXT_MAX) return text;
  return `${text.slice(0, GITHUB_TEXT_MAX - tail.length - 40)}\n\n… (cut to fit GitHub's limit)${tail}`;
}
