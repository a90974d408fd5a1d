import type { AiAssistanceKind } from "@devflow/contracts";

// Whether a pull request was made with an AI tool, from what DevFlow stores of it: its author and
// its body. Labels and commit messages are not stored, so a label or a trailer that lives only in a
// commit cannot be seen; a trailer pasted into the body (squash-merge descriptions carry them) can.
//
// Conservative on purpose: a mention of "Copilot" in prose says nothing, and neither does silence.
// Only these count, each quoted back as the signal:
// - a `Co-authored-by:` line whose identity is an AI agent (by its email when it has one, else by
//   its name), e.g. `Co-authored-by: Claude <noreply@anthropic.com>`;
// - a line "Generated with/by/using <AI tool>", e.g. Claude Code's "🤖 Generated with [Claude Code]";
// - an AI agent as the pull request's author (GitHub's Copilot coding agent, Devin…);
// - an explicit "AI-assisted: yes"; "AI-assisted: no" makes the pull request human, unless one of
//   the signals above contradicts it (an artifact of the tool outweighs a template left unchanged).
// Text in fenced code blocks and block quotes is ignored: it quotes, it does not declare.

export interface AiAssistance {
  kind: AiAssistanceKind;
  /** The line or fact that decided, as found; null when nothing did. */
  signal: string | null;
}

/** GitHub logins of AI agents that author pull requests or commits (lower case). */
const AI_LOGINS: ReadonlySet<string> = new Set([
  "copilot",
  "copilot-swe-agent[bot]",
  "devin-ai-integration[bot]",
  "claude[bot]",
  "google-labs-jules[bot]",
  "chatgpt-codex-connector[bot]",
  "amazon-q-developer[bot]",
]);

/** Commit identities' email addresses that only AI agents use (lower case). */
const AI_EMAILS: ReadonlySet<string> = new Set([
  "noreply@anthropic.com",
  "cursoragent@cursor.com",
  "noreply@aider.chat",
  "openhands@all-hands.dev",
]);

/** Names of AI agents, for a Co-authored-by line without an email (lower case, whole name). */
const AI_NAMES: ReadonlySet<string> = new Set([
  "claude",
  "claude code",
  "copilot",
  "github copilot",
  "cursor agent",
  "cursoragent",
  "devin",
  "devin ai",
  "aider",
  "openhands",
  "codex",
  "chatgpt",
  "gemini",
  "jules",
]);

/** AI tools named after "Generated with" (word match, any case). */
const AI_TOOL =
  /\b(claude|copilot|cursor|codex|chatgpt|gpt-?\d|openai|gemini|devin|aider|jules|openhands|amazon q|windsurf)\b/i;

const CO_AUTHOR = /^co-authored-by:\s*(.+)$/i;
// Anything but letters before "Generated" lets emoji and list markers through ("🤖 Generated with").
const GENERATED = /^[^\p{L}\p{N}]*generated (?:with|by|using)\s+(.+)$/iu;
const DECLARATION = /^[-*\s]*ai[- ]assist(?:ed|ance)\s*:\s*\**\s*(yes|true|no|none|false)\b/i;
const GITHUB_NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i;

/**
 * Classifies a pull request as AI-assisted, human or unknown from its author and body, quoting the
 * evidence. Pure and conservative: with no signal the answer is unknown, never human.
 */
export function classifyAiAssistance(pr: { body: string; authorLogin: string | null }): AiAssistance {
  if (pr.authorLogin && AI_LOGINS.has(pr.authorLogin.toLowerCase())) {
    return { kind: "ai_assisted", signal: `author ${pr.authorLogin}` };
  }
  let declaredHuman: string | null = null;
  for (const line of declaringLines(pr.body)) {
    const coAuthor = CO_AUTHOR.exec(line);
    if (coAuthor && isAiIdentity(coAuthor[1]!)) return { kind: "ai_assisted", signal: line };
    const generated = GENERATED.exec(line);
    if (generated && AI_TOOL.test(generated[1]!)) return { kind: "ai_assisted", signal: line };
    const declared = DECLARATION.exec(line);
    if (declared) {
      if (/^(yes|true)$/i.test(declared[1]!)) return { kind: "ai_assisted", signal: line };
      declaredHuman ??= line;
    }
  }
  return declaredHuman ? { kind: "human", signal: declaredHuman } : { kind: "unknown", signal: null };
}

/** The body's lines outside fenced code blocks and block quotes, trimmed. */
function declaringLines(body: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence !== null || line.startsWith(">") || line === "") continue;
    lines.push(line);
  }
  return lines;
}

/**
 * Whether `Name <email>` names an AI agent. With an email, only the email decides (a person may be
 * called Devin); without one, the whole name must be an agent's.
 */
function isAiIdentity(identity: string): boolean {
  const match = /^(.*?)\s*<([^>]*)>\s*$/.exec(identity.trim());
  if (!match) return AI_NAMES.has(identity.trim().toLowerCase());
  const email = match[2]!.trim().toLowerCase();
  if (email === "") return AI_NAMES.has(match[1]!.toLowerCase());
  if (AI_EMAILS.has(email)) return true;
  const login = GITHUB_NOREPLY.exec(email)?.[1];
  return login !== undefined && AI_LOGINS.has(login);
}
