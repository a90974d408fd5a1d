import type { Database } from "@devflow/db";
import type { SlackClient } from "@devflow/integrations";
import * as repo from "./slack-user-links.repository";
import type { SlackUserLinkRow } from "./slack-user-links.repository";

/** What Slack delivery needs of an organization's Slack app (its bot token, behind its breaker). */
export type SlackDirectMessages = Pick<SlackClient, "lookupUserByEmail" | "postMessage">;

/**
 * How long "Slack knows nobody by this address" is believed: people join the workspace (or add
 * their work address) after choosing Slack, and asking once a day per person costs little.
 */
export const SLACK_NOT_FOUND_RETRY_MS = 24 * 60 * 60 * 1000;

/** Whether a stored link can be used as it is: a found user always, "not found" for a day. */
export function isLinkCurrent(link: Pick<SlackUserLinkRow, "slackUserId" | "lookedUpAt">, now: Date): boolean {
  return link.slackUserId !== null || now.getTime() - link.lookedUpAt.getTime() < SLACK_NOT_FOUND_RETRY_MS;
}

/** Who members are in the organization's Slack workspace, as stored, by user id. */
export type SlackUserLinks = ReadonlyMap<string, SlackUserLinkRow>;

/** The organization's stored links for these members. */
export async function loadSlackUserLinks(
  db: Database,
  organizationId: string,
  userIds: readonly string[],
): Promise<SlackUserLinks> {
  const rows = await db.withTenant({ organizationId }, (tx) => repo.listSlackUserLinks(tx, userIds));
  return new Map(rows.map((row) => [row.userId, row]));
}

/**
 * The member's Slack user id in the organization's workspace, or null when Slack knows nobody by
 * their email address: the stored link while it is current, otherwise Slack's answer to
 * `users.lookupByEmail`, stored (found or not) in its own transaction so that a message that then
 * fails to send does not cost another lookup on the retry.
 */
export async function slackUserIdOf(
  db: Database,
  slack: SlackDirectMessages,
  organizationId: string,
  member: { userId: string; email: string },
  stored: SlackUserLinkRow | undefined,
  now = new Date(),
): Promise<string | null> {
  if (stored && isLinkCurrent(stored, now)) return stored.slackUserId;
  const slackUserId = await slack.lookupUserByEmail(member.email);
  await db.withTenant({ organizationId }, (tx) =>
    repo.saveSlackUserLink(tx, { organizationId, userId: member.userId, slackUserId, lookedUpAt: now }),
  );
  return slackUserId;
}

/** Forgets who the member is in Slack (Slack no longer knows that user), so the next notification asks again. */
export async function forgetSlackUser(db: Database, organizationId: string, userId: string): Promise<void> {
  await db.withTenant({ organizationId }, (tx) => repo.deleteSlackUserLink(tx, userId));
}
