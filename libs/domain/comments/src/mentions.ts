import type { RequestContext } from "@devflow/auth";
import type { CommentUserDto } from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { AppError, isAppError } from "@devflow/util-core";
import * as repo from "./comments.repository";

/**
 * Checks that every mentioned user is an active member of the organization who can read the
 * document (a private project's outsiders cannot be pulled into its discussion), and returns them
 * in the order given. Anyone else is refused by id, so nothing is stored.
 */
export async function checkMentions(
  tx: Tx,
  ctx: RequestContext,
  projectId: string,
  userIds: readonly string[],
): Promise<CommentUserDto[]> {
  if (userIds.length === 0) return [];
  const members = await repo.findActiveMembers(tx, ctx.organizationId, userIds);
  const byId = new Map(members.map((member) => [member.user.id, member]));
  const users: CommentUserDto[] = [];
  for (const userId of userIds) {
    const member = byId.get(userId);
    if (!member) throw invalidMention(userId, "is not an active member of this organization");
    const theirs: RequestContext = { ...ctx, actor: { userId, role: member.role } };
    if (!(await canSeeProject(tx, theirs, projectId))) throw invalidMention(userId, "cannot read this document");
    users.push(member.user);
  }
  return users;
}

async function canSeeProject(tx: Tx, ctx: RequestContext, projectId: string): Promise<boolean> {
  try {
    await loadVisibleProject(tx, ctx, projectId);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return false;
    throw error;
  }
}

function invalidMention(userId: string, reason: string): AppError {
  const message = `Cannot mention user ${userId}: they ${reason}`;
  return new AppError("validation_failed", message, {
    report: false,
    details: { issues: [{ path: "mentions", message }] },
  });
}
