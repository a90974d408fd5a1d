"use client";

import type { MemberDto, MemberRole } from "@devflow/contracts";
import { Avatar, Button, RoleBadge } from "@devflow/web-ui";
import { formatDateTime } from "../../common/format";
import { canManageMember, grantableRoles } from "./member-roles";
import styles from "./members.module.css";

export interface MembersTableProps {
  members: MemberDto[];
  currentUserId: string;
  actorRole: MemberRole;
  /** The member whose role change is in flight, to disable their row meanwhile. */
  busyUserId: string | null;
  onChangeRole: (member: MemberDto, role: MemberRole) => void;
  onRemove: (member: MemberDto) => void;
  onTransferOwnership: (member: MemberDto) => void;
}

/** One row per member. Admins get a role select and Remove; owners also Transfer ownership. */
export function MembersTable({
  members,
  currentUserId,
  actorRole,
  busyUserId,
  onChangeRole,
  onRemove,
  onTransferOwnership,
}: MembersTableProps) {
  const roles = grantableRoles(actorRole);
  const isOwner = actorRole === "owner";
  return (
    <div className={`panel ${styles.tableWrap}`}>
      <table className={styles.table} data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            {roles.length > 0 && (
              <th scope="col">
                <span className="ui-visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const isSelf = member.user.id === currentUserId;
            const isManageable = canManageMember(actorRole, member.role);
            return (
              <tr key={member.user.id} data-testid="member-row" data-user-id={member.user.id}>
                <td>
                  <div className={styles.person}>
                    <Avatar name={member.user.name} imageUrl={member.user.avatarUrl} />
                    <div className={styles.personText}>
                      <span className={styles.name}>
                        {member.user.name}
                        {isSelf && <span className={styles.muted}> (you)</span>}
                      </span>
                      <span className={styles.muted}>{member.user.email}</span>
                    </div>
                  </div>
                </td>
                <td>
                  {isManageable ? (
                    <select
                      className={`ui-input ui-select ${styles.roleSelect}`}
                      aria-label={`Role of ${member.user.name}`}
                      value={member.role}
                      disabled={busyUserId === member.user.id}
                      onChange={(event) => onChangeRole(member, event.target.value as MemberRole)}
                      data-testid="member-role-select"
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span data-testid="member-role">
                      <RoleBadge role={member.role} />
                    </span>
                  )}
                </td>
                <td className={styles.muted}>{formatDateTime(member.joinedAt)}</td>
                {roles.length > 0 && (
                  <td>
                    <div className={styles.actions}>
                      {isOwner && !isSelf && (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => onTransferOwnership(member)}
                          data-testid="member-transfer"
                        >
                          Transfer ownership
                        </Button>
                      )}
                      {isManageable && (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => onRemove(member)}
                          aria-label={isSelf ? "Leave the organization" : `Remove ${member.user.name}`}
                          data-testid="member-remove"
                        >
                          {isSelf ? "Leave" : "Remove"}
                        </Button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
