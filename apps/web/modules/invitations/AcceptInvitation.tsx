"use client";

import type { InvitationPreviewDto } from "@devflow/contracts";
import { errorMessage, useAcceptInvitationMutation } from "@devflow/web-data-access";
import { Alert, Button, RoleBadge } from "@devflow/web-ui";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { INVITATION_PROBLEMS, invitationFailureOf } from "./invitation-messages";

export interface AcceptInvitationProps {
  token: string;
  invitation: InvitationPreviewDto;
  /** The signed-in user's email, to spot an invitation meant for another address before trying. */
  signedInEmail: string;
}

/** The invitation as the invitee sees it once signed in: where, which role, and Accept. */
export function AcceptInvitation({ token, invitation, signedInEmail }: AcceptInvitationProps) {
  const router = useRouter();
  const [accept, { isLoading, error, isSuccess }] = useAcceptInvitationMutation();
  const failure = invitationFailureOf(error);
  const isOtherEmail = invitation.email.toLowerCase() !== signedInEmail.toLowerCase();
  const problem =
    invitation.status !== "pending" ? INVITATION_PROBLEMS[invitation.status] : isOtherEmail ? emailMismatch() : null;
  const home = `/${invitation.organization.slug}`;

  function emailMismatch() {
    return `This invitation was sent to ${invitation.email}, but you are signed in as ${signedInEmail}. Sign in with ${invitation.email} to accept it.`;
  }

  async function onAccept() {
    const result = await accept({ token });
    if (result.data) router.push(`/${result.data.slug}`);
  }

  return (
    <div className="form-stack" data-testid="invitation">
      <p>
        You have been invited to join{" "}
        <strong data-testid="invitation-organization">{invitation.organization.name}</strong> as{" "}
        <RoleBadge role={invitation.role} />
      </p>
      {problem && (
        <Alert title="You cannot accept this invitation">
          <span data-testid="invitation-problem">{problem}</span>
        </Alert>
      )}
      {error !== undefined && (
        <Alert title="The invitation could not be accepted">
          <span data-testid="invitation-problem">
            {failure === "invitation_email_mismatch"
              ? emailMismatch()
              : failure
                ? INVITATION_PROBLEMS[failure]
                : errorMessage(error)}
          </span>
        </Alert>
      )}
      {failure === "already_member" ? (
        <Link className="ui-button ui-button--primary" href={home}>
          Open {invitation.organization.name}
        </Link>
      ) : (
        !problem && (
          <Button
            variant="primary"
            onClick={onAccept}
            isLoading={isLoading || isSuccess}
            disabled={error !== undefined && failure !== null}
            autoFocus
            data-testid="accept-invitation"
          >
            Accept and join {invitation.organization.name}
          </Button>
        )
      )}
    </div>
  );
}
