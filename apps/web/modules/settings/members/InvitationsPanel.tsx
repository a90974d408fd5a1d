"use client";

import type { InvitationDto } from "@devflow/contracts";
import { errorMessage, useListInvitationsQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, RoleBadge, SkeletonList } from "@devflow/web-ui";
import { formatDateTime, timeAgo } from "../../common/format";
import styles from "./members.module.css";

export interface InvitationsPanelProps {
  organizationId: string;
  onRevoke: (invitation: InvitationDto) => void;
  onInvite: () => void;
}

/** Invitations sent and not yet accepted, revoked or expired; admins only. */
export function InvitationsPanel({ organizationId, onRevoke, onInvite }: InvitationsPanelProps) {
  const { currentData, error, isFetching, refetch } = useListInvitationsQuery({ organizationId });
  const invitations = currentData?.items ?? [];

  return (
    <section className={styles.section} aria-labelledby="invitations-heading" data-testid="invitations">
      <div className={styles.sectionHeader}>
        <h2 id="invitations-heading" className={styles.sectionTitle}>
          Pending invitations
        </h2>
      </div>
      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={2} label="Loading invitations" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load invitations"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && invitations.length === 0 && (
        <EmptyState
          testId="invitations-empty"
          title="No pending invitations"
          description="Invite teammates by email; they join with the role you choose."
          action={<Button onClick={onInvite}>Invite someone</Button>}
        />
      )}
      {invitations.length > 0 && (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="ui-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id} data-testid="invitation-row">
                  <td className={styles.name}>{invitation.email}</td>
                  <td>
                    <RoleBadge role={invitation.role} />
                  </td>
                  <td className={styles.muted}>
                    {invitation.invitedBy?.name ?? "—"}, {timeAgo(invitation.createdAt)}
                  </td>
                  <td className={styles.muted}>{formatDateTime(invitation.expiresAt)}</td>
                  <td>
                    <div className={styles.actions}>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => onRevoke(invitation)}
                        aria-label={`Revoke the invitation to ${invitation.email}`}
                        data-testid="invitation-revoke"
                      >
                        Revoke
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
