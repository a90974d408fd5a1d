import type { Tx } from "@devflow/db";

/*
 * Runs inside withTenant: row-level security keeps every query to the organization being
 * notified, so another organization's Slack users are never read (the same person may be in
 * several organizations, each with its own workspace).
 */

/** What was found out about one member in the organization's Slack workspace, and when. */
export interface SlackUserLinkRow {
  userId: string;
  /** Their Slack user id (U…); null when Slack knew nobody by their address. */
  slackUserId: string | null;
  lookedUpAt: Date;
}

export function listSlackUserLinks(tx: Tx, userIds: readonly string[]): Promise<SlackUserLinkRow[]> {
  return tx.slackUserLink.findMany({
    where: { userId: { in: [...userIds] } },
    select: { userId: true, slackUserId: true, lookedUpAt: true },
  });
}

export async function saveSlackUserLink(tx: Tx, link: SlackUserLinkRow & { organizationId: string }): Promise<void> {
  const { organizationId, userId, ...answer } = link;
  await tx.slackUserLink.upsert({
    where: { organizationId_userId: { organizationId, userId } },
    create: link,
    update: answer,
  });
}

export async function deleteSlackUserLink(tx: Tx, userId: string): Promise<void> {
  await tx.slackUserLink.deleteMany({ where: { userId } });
}
