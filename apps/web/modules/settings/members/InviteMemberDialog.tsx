"use client";

import { INVITATION_EMAIL_MAX, INVITATION_TTL_DAYS, type MemberRole } from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateInvitationMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { grantableRoles, ROLE_DESCRIPTIONS } from "./member-roles";

export interface InviteMemberDialogProps {
  organizationId: string;
  organizationName: string;
  /** The inviter's role: nobody invites above their own. */
  actorRole: MemberRole;
  isOpen: boolean;
  onClose: () => void;
  onInvited: (email: string) => void;
}

export function InviteMemberDialog({ isOpen, onClose, organizationName, ...form }: InviteMemberDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title={`Invite someone to ${organizationName}`}
      description={`They get an email with a link that works once, for ${INVITATION_TTL_DAYS} days.`}
      onClose={onClose}
      testId="invite-dialog"
    >
      <InviteForm {...form} onCancel={onClose} />
    </Dialog>
  );
}

function InviteForm({
  organizationId,
  actorRole,
  onCancel,
  onInvited,
}: Pick<InviteMemberDialogProps, "organizationId" | "actorRole" | "onInvited"> & { onCancel: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("member");
  const [createInvitation, { isLoading, error }] = useCreateInvitationMutation();
  const issues = fieldIssues(error);
  const issueFor = (field: string) => issues.find((i) => i.path === field)?.message;
  const options = grantableRoles(actorRole).map((value) => ({ value, label: ROLE_DESCRIPTIONS[value] }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await createInvitation({ organizationId, input: { email: email.trim(), role } });
    if (result.data) onInvited(result.data.email);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate>
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        placeholder="name@example.com"
        value={email}
        maxLength={INVITATION_EMAIL_MAX}
        autoFocus
        required
        error={issueFor("email")}
        onChange={(event) => setEmail(event.target.value)}
        data-testid="invite-email"
      />
      <SelectField
        label="Role"
        name="role"
        value={role}
        options={options}
        error={issueFor("role")}
        onChange={(event) => setRole(event.target.value as MemberRole)}
        data-testid="invite-role"
      />
      {error !== undefined && issues.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onCancel} disabled={isLoading}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          isLoading={isLoading}
          disabled={email.trim() === ""}
          data-testid="invite-submit"
        >
          Send invitation
        </Button>
      </div>
    </form>
  );
}
