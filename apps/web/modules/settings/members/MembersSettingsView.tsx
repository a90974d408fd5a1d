"use client";

import type { InvitationDto, MemberDto, MemberRole, MyOrganizationDto } from "@devflow/contracts";
import {
  errorMessage,
  useChangeMemberRoleMutation,
  useListMembersInfiniteQuery,
  useRemoveMemberMutation,
  useRevokeInvitationMutation,
  useTransferOwnershipMutation,
} from "@devflow/web-data-access";
import { Alert, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PlusIcon } from "../../common/icons";
import { InvitationsPanel } from "./InvitationsPanel";
import { InviteMemberDialog } from "./InviteMemberDialog";
import { isMemberManager } from "./member-roles";
import { MembersTable } from "./MembersTable";
import styles from "./members.module.css";
import { RenameOrganizationForm } from "./RenameOrganizationForm";

export interface MembersSettingsViewProps {
  organization: MyOrganizationDto;
  currentUserId: string;
}

type Pending =
  | { kind: "remove"; member: MemberDto }
  | { kind: "transfer"; member: MemberDto }
  | { kind: "revoke"; invitation: InvitationDto };

/**
 * The organization's people: everyone sees the members; admins and owners also rename the
 * organization, change roles, remove members and manage invitations; owners transfer ownership.
 */
export function MembersSettingsView({ organization, currentUserId }: MembersSettingsViewProps) {
  const router = useRouter();
  const organizationId = organization.id;
  const isManager = isMemberManager(organization.role);
  const [isInviting, setIsInviting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListMembersInfiniteQuery({ organizationId });
  const members = currentData?.pages.flatMap((page) => page.items) ?? [];
  const [changeRole, roleChange] = useChangeMemberRoleMutation();
  const [removeMember, removal] = useRemoveMemberMutation();
  const [transferOwnership, transfer] = useTransferOwnershipMutation();
  const [revokeInvitation, revocation] = useRevokeInvitationMutation();

  async function onChangeRole(member: MemberDto, role: MemberRole) {
    setNotice(null);
    const result = await changeRole({ organizationId, userId: member.user.id, role });
    // The page's own role comes from the server; refresh it when it was ours that changed.
    if (!result.error && member.user.id === currentUserId) router.refresh();
  }

  async function confirm() {
    if (!pending) return;
    if (pending.kind === "remove") {
      const result = await removeMember({ organizationId, userId: pending.member.user.id });
      if (result.error) return;
      if (pending.member.user.id === currentUserId) {
        router.push("/");
        return;
      }
      setNotice(`${pending.member.user.name} was removed.`);
    } else if (pending.kind === "transfer") {
      const result = await transferOwnership({ organizationId, userId: pending.member.user.id });
      if (result.error) return;
      setNotice(`${pending.member.user.name} is now the owner; you are an admin.`);
      router.refresh();
    } else {
      const result = await revokeInvitation({ organizationId, invitationId: pending.invitation.id });
      if (result.error) return;
      setNotice(`The invitation to ${pending.invitation.email} was revoked.`);
    }
    setPending(null);
  }

  const confirmError =
    pending?.kind === "remove" ? removal.error : pending?.kind === "transfer" ? transfer.error : revocation.error;

  function ask(next: Pending) {
    removal.reset();
    transfer.reset();
    revocation.reset();
    setPending(next);
  }

  return (
    <div className="page" data-testid="members-settings">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Members</h1>
          <p className="page-subtitle">
            {isManager
              ? `Who belongs to ${organization.name}, and what each person may do.`
              : `Who belongs to ${organization.name}. Admins and owners manage members.`}
          </p>
        </div>
        {isManager && (
          <div className="page-actions">
            <Button variant="primary" onClick={() => setIsInviting(true)} data-testid="invite-member">
              <PlusIcon />
              Invite
            </Button>
          </div>
        )}
      </header>

      {notice && (
        <Alert
          tone="info"
          action={
            <Button size="sm" variant="ghost" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          }
        >
          {notice}
        </Alert>
      )}

      {isManager && <RenameOrganizationForm organization={organization} />}

      <section className={styles.section} aria-labelledby="members-heading">
        <div className={styles.sectionHeader}>
          <h2 id="members-heading" className={styles.sectionTitle}>
            People
          </h2>
        </div>
        {roleChange.error !== undefined && (
          <Alert
            title="Could not change the role"
            action={
              <Button size="sm" variant="ghost" onClick={() => roleChange.reset()}>
                Dismiss
              </Button>
            }
          >
            {errorMessage(roleChange.error)}
          </Alert>
        )}
        {!currentData && isFetching && (
          <div className="panel">
            <SkeletonList rows={4} label="Loading members" />
          </div>
        )}
        {error !== undefined && (
          <Alert
            title="Could not load members"
            action={
              <Button size="sm" onClick={() => refetch()}>
                Try again
              </Button>
            }
          >
            {errorMessage(error)}
          </Alert>
        )}
        {currentData && members.length === 0 && <EmptyState testId="members-empty" title="No members to show" />}
        {members.length > 0 && (
          <MembersTable
            members={members}
            currentUserId={currentUserId}
            actorRole={organization.role}
            busyUserId={roleChange.isLoading ? (roleChange.originalArgs?.userId ?? null) : null}
            onChangeRole={onChangeRole}
            onRemove={(member) => ask({ kind: "remove", member })}
            onTransferOwnership={(member) => ask({ kind: "transfer", member })}
          />
        )}
        {hasNextPage && (
          <div className="list-footer">
            <Button onClick={() => fetchNextPage()} isLoading={isFetchingNextPage} data-testid="members-load-more">
              Load more
            </Button>
          </div>
        )}
      </section>

      {isManager && (
        <InvitationsPanel
          organizationId={organizationId}
          onRevoke={(invitation) => ask({ kind: "revoke", invitation })}
          onInvite={() => setIsInviting(true)}
        />
      )}

      <InviteMemberDialog
        organizationId={organizationId}
        organizationName={organization.name}
        actorRole={organization.role}
        isOpen={isInviting}
        onClose={() => setIsInviting(false)}
        onInvited={(email) => {
          setIsInviting(false);
          setNotice(`Invitation sent to ${email}.`);
        }}
      />

      <ConfirmDialog
        isOpen={pending !== null}
        {...confirmCopy(pending, currentUserId, organization.name)}
        isBusy={removal.isLoading || transfer.isLoading || revocation.isLoading}
        error={errorMessage(confirmError)}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}

function confirmCopy(pending: Pending | null, currentUserId: string, organizationName: string) {
  if (pending?.kind === "transfer") {
    return {
      title: "Transfer ownership?",
      message: `${pending.member.user.name} becomes the owner of ${organizationName}. You stay on as an admin and can no longer transfer ownership or act on owners.`,
      confirmLabel: "Transfer ownership",
      isDestructive: true,
    };
  }
  if (pending?.kind === "revoke") {
    return {
      title: "Revoke invitation?",
      message: `The link sent to ${pending.invitation.email} stops working. You can invite them again later.`,
      confirmLabel: "Revoke",
      isDestructive: true,
    };
  }
  if (pending?.kind === "remove" && pending.member.user.id === currentUserId) {
    return {
      title: `Leave ${organizationName}?`,
      message: "You lose access to its projects and documents until someone invites you again.",
      confirmLabel: "Leave",
      isDestructive: true,
    };
  }
  return {
    title: "Remove member?",
    message:
      pending?.kind === "remove"
        ? `${pending.member.user.name} loses access to ${organizationName}'s projects and documents.`
        : "",
    confirmLabel: "Remove",
    isDestructive: true,
  };
}
