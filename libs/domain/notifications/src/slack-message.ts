import { escapeMrkdwn, SlackRejectedError, type SlackBlock } from "@devflow/integrations";

/** A notification as a Slack message: `text` for Slack's own alert and screen readers, `blocks` to show. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * The direct message for one notification: its title, its quote (when it has one) and a link to
 * it on the web app (the email's link). Everything is escaped: titles and quotes carry people's
 * names, document titles and comments, which must not become Slack markup or links.
 */
export function slackMessageOf({ title, body, url }: { title: string; body: string; url: string }): SlackMessage {
  const blocks: SlackBlock[] = [{ type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(title)}*` } }];
  if (body.trim() !== "") {
    const quote = escapeMrkdwn(body)
      .split("\n")
      .map((line) => `>${line}`)
      .join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: quote } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${escapeMrkdwn(url)}|Open in DevFlow>` }] });
  return { text: escapeMrkdwn(title), blocks };
}

/*
 * Refusals that no retry will change. The token ones (the app was uninstalled, its token revoked,
 * the workspace or bot deactivated, the app installed without `users:read.email` or `chat:write`) hold for every recipient until an admin reconnects Slack; the
 * recipient ones mean that Slack user is gone (or never was) and hold for that person. Both are
 * skipped rather than retried until the bus dead-letters the whole notification, which would tell
 * the admins once per comment about a Slack app they may have removed on purpose.
 */
const TOKEN_REFUSALS = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "missing_scope",
]);
const RECIPIENT_REFUSALS = new Set(["channel_not_found", "user_not_found"]);

/** What a final Slack refusal applies to: the organization's bot token, or the one recipient. */
export interface SlackRefusal {
  slackError: string;
  scope: "token" | "recipient";
}

/** The refusal in `error` when it is one no retry will change; null for anything worth retrying. */
export function finalSlackRefusal(error: unknown): SlackRefusal | null {
  if (!(error instanceof SlackRejectedError)) return null;
  if (TOKEN_REFUSALS.has(error.slackError)) return { slackError: error.slackError, scope: "token" };
  if (RECIPIENT_REFUSALS.has(error.slackError)) return { slackError: error.slackError, scope: "recipient" };
  return null;
}
