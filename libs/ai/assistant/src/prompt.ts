import type { CitablePassage } from "@devflow/ai-llm";

export interface PromptFacts {
  /** The project the person is in, if any. */
  project: { name: string; description: string } | null;
  /** The document the person has open, if any, and what they selected in it. */
  openDocument: { title: string; version: number; selectedText: string | null } | null;
  /** Whether tools are offered in this answer. */
  hasTools: boolean;
}

/**
 * The system prompt: answer from the numbered sources, cite them as `[n]`, say so when they do
 * not hold the answer. Citation extraction later keeps only markers that name a listed source.
 */
export function systemPrompt(facts: PromptFacts, passages: readonly CitablePassage[]): string {
  const parts = [
    [
      "You are the DevFlow assistant. You help a software team with its design docs, RFCs and decisions.",
      "Answer from the numbered sources below. After each sentence that uses a source, cite it with its",
      "number in square brackets, like [1] or [2][3]. Cite only numbers listed below and never invent one.",
      "When the sources do not answer the question, say so plainly instead of guessing.",
      "Write concise markdown.",
    ].join(" "),
  ];
  if (facts.hasTools) {
    parts.push(
      [
        "You may call tools to search the workspace or read documents when the sources are not enough.",
        "propose_edit only proposes a change for the person to review and accept; it changes nothing by itself.",
        "Passages you read through tools cannot be cited by number: name their documents or files instead.",
      ].join(" "),
    );
  }
  if (facts.project) {
    const description = facts.project.description.trim();
    parts.push(`## Project\n${facts.project.name}${description ? `: ${description}` : ""}`);
  }
  if (facts.openDocument) {
    const { title, version, selectedText } = facts.openDocument;
    parts.push(
      `## Open document\nThe person has "${title}" (version ${version}) open.` +
        (selectedText ? `\nThey selected this text:\n"""\n${selectedText}\n"""` : ""),
    );
  }
  parts.push(
    passages.length ? `## Sources\n\n${passages.map(renderPassage).join("\n\n")}` : "## Sources\n(none found)",
  );
  return parts.join("\n\n");
}

/** One source as the model reads it: number, where it is from, and its exact text. */
export function renderPassage(passage: CitablePassage): string {
  const where = passage.heading ?? passage.title;
  // A file has one version; naming it would only suggest there are others.
  const source =
    passage.sourceType === "file"
      ? `uploaded file "${passage.title}"`
      : `document "${passage.title}", version ${passage.version}`;
  return `[${passage.ref}] ${where} (${source})\n${passage.text}`;
}
