import type { RequestContext } from "@devflow/auth";
import { z } from "zod";
import { escapeMrkdwn } from "./slack-text";

/** The form fields of a Slack slash command that DevFlow reads (Slack sends more). */
export const SlashCommandSchema = z.object({
  command: z.string().max(100),
  text: z.string().max(4_000).default(""),
  response_url: z.url(),
  trigger_id: z.string().min(1).max(200),
  user_id: z.string().max(100).optional(),
  team_id: z.string().max(100).optional(),
  channel_id: z.string().max(100).optional(),
});
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/** A passage an answer cites, as the assistant returns it (documents by id, uploaded files by id). */
export type CitedSource = { title: string } & ({ documentId: string } | { fileId: string });

export interface SlashCommandDeps {
  /** Answers a question from the organization's workspace, as `ctx`, with the sources it used. */
  answer(ctx: RequestContext, question: string): Promise<{ text: string; citations: readonly CitedSource[] }>;
  /** Posts a follow-up to the command's response_url (the Slack client, behind the organization's breaker). */
  respond(
    organizationId: string,
    responseUrl: string,
    body: { text: string; response_type: "ephemeral" | "in_channel" },
  ): Promise<void>;
  /** The web app's address, for links to the cited documents. */
  webBaseUrl: string;
}

/**
 * Who a Slack command reads the workspace as. Slack says which Slack user typed it, not who they
 * are in DevFlow, so the answer draws only on what every member may read: a viewer who belongs to
 * no project sees the projects open to the whole organization, never a private one.
 */
export const SLACK_READER_ID = "00000000-0000-0000-0000-000000000000";

export const QUESTION_MAX_CHARS = 500;

/** What the command is asking for: `ask <question>`, or anything else (help). */
export function parseCommandText(text: string): { kind: "ask"; question: string } | { kind: "help" } {
  const match = /^\s*ask\s+([\s\S]+)$/i.exec(text);
  const question = match?.[1]?.trim();
  return question ? { kind: "ask", question: question.slice(0, QUESTION_MAX_CHARS) } : { kind: "help" };
}

/** The immediate answer, inside Slack's three seconds: the real one follows through response_url. */
export function acknowledgement(command: SlashCommand): { response_type: "ephemeral"; text: string } {
  const parsed = parseCommandText(command.text);
  return {
    response_type: "ephemeral",
    text:
      parsed.kind === "ask"
        ? `Looking through your team's docs for “${parsed.question.slice(0, 200)}”…`
        : helpText(command.command),
  };
}

function helpText(command: string): string {
  return `Ask DevFlow about your team's design docs: \`${command} ask how do refunds settle?\``;
}


/**
 * Runs one slash command: answers an `ask` from the workspace and posts the answer, with links to
 * the documents it cites, to the command's response_url (visible to the person who asked).
 * Help needs no follow-up: the acknowledgement already was the answer.
 */
export async function runSlashCommand(
  deps: SlashCommandDeps,
  target: { organizationId: string; organizationSlug: string },
  command: SlashCommand,
): Promise<"answered" | "help"> {
  const parsed = parseCommandText(command.text);
  if (parsed.kind === "help") return "help";
  const ctx: RequestContext = {
    organizationId: target.organizationId,
    actor: { userId: SLACK_READER_ID, role: "viewer" },
    requestId: `slack-${command.trigger_id}`.slice(0, 100),
  };
  const { text, citations } = await deps.answer(ctx, parsed.question);
  const base = deps.webBaseUrl.replace(/\/$/, "");
  const seen = new Set<string>();
  const sources = citations.flatMap((citation) => {
    const url =
      "documentId" in citation
        ? `${base}/${target.organizationSlug}/documents/${citation.documentId}`
        : `${base}/api/v1/files/${citation.fileId}/content`;
    if (seen.has(url)) return [];
    seen.add(url);
    return [`• <${url}|${escapeMrkdwn(citation.title).replace(/\|/g, "¦")}>`];
  });
  await deps.respond(target.organizationId, command.response_url, {
    response_type: "ephemeral",
    text: [`*${escapeMrkdwn(parsed.question)}*`, escapeMrkdwn(text), ...(sources.length ? ["*Sources*", ...sources] : [])].join(
      "\n",
    ),
  });
  return "answered";
}
