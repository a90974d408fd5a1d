"use client";

import type { CreatedIssueDto } from "@devflow/contracts";
import {
  errorMessage,
  fieldIssues,
  isApiError,
  useCreateDocumentIssueMutation,
  useListIssueTrackersQuery,
  useListRepositoriesInfiniteQuery,
} from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField, Spinner, TextField } from "@devflow/web-ui";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { IssueCreatedSummary } from "./IssueCreatedSummary";
import { PassageTriage } from "./PassageTriage";
import {
  EMPTY_ISSUE_FORM,
  TRACKER_LABELS,
  availableTrackers,
  buildIssueRequest,
  githubRepositories,
  serverFieldMessages,
  type FieldMessages,
  type IssueForm,
  type Tracker,
} from "./issue-request";

export interface CreateIssueDialogProps {
  organizationId: string;
  documentId: string;
  /** The selected passage; the dialog is open while it is not null. */
  passage: string | null;
  onClose: () => void;
}

/** "Create issue": files the selected passage as an issue in a connected GitHub, Jira or Linear. */
export function CreateIssueDialog({ organizationId, documentId, passage, onClose }: CreateIssueDialogProps) {
  return (
    <Dialog
      isOpen={passage !== null}
      title="Create issue"
      description="The issue quotes the passage, lists the acceptance criteria it states and links back to this document."
      onClose={onClose}
      testId="create-issue-dialog"
    >
      {passage !== null && (
        <CreateIssueForm organizationId={organizationId} documentId={documentId} passage={passage} onDone={onClose} />
      )}
    </Dialog>
  );
}

function CreateIssueForm({
  organizationId,
  documentId,
  passage,
  onDone,
}: {
  organizationId: string;
  documentId: string;
  passage: string;
  onDone: () => void;
}) {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  // Read afresh each time: an admin may have connected a tracker in another tab.
  const integrations = useListIssueTrackersQuery({ organizationId }, { refetchOnMountOrArgChange: true });
  const repositories = useListRepositoriesInfiniteQuery({ organizationId, limit: 100 });
  const [createIssue, { isLoading: isFiling, error: filingError }] = useCreateDocumentIssueMutation();
  const [form, setForm] = useState<IssueForm>(EMPTY_ISSUE_FORM);
  const [fields, setFields] = useState<FieldMessages>({});
  const [created, setCreated] = useState<CreatedIssueDto | null>(null);

  const repos = githubRepositories(repositories.data?.pages.flatMap((page) => page.items));
  const trackers = availableTrackers(integrations.data?.trackers ?? [], repositories.isSuccess ? repos : undefined);
  const tracker: Tracker | null = form.tracker ?? trackers[0] ?? null;
  const repositoryId = form.repositoryId || repos[0]?.id || "";

  const set = (patch: Partial<IssueForm>) => setForm((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const request = buildIssueRequest({ ...form, tracker, repositoryId }, passage);
    if (!request.ok) {
      setFields(request.fields);
      return;
    }
    setFields({});
    const result = await createIssue({ organizationId, documentId, input: request.input });
    if (result.data) setCreated(result.data);
    else setFields(serverFieldMessages(fieldIssues(result.error)));
  }

  if (created) return <IssueCreatedSummary issue={created} onDone={onDone} />;

  const isChecking = integrations.isLoading || repositories.isLoading;
  if (isChecking) return <Spinner label="Checking which trackers are connected" />;
  if (integrations.error !== undefined) {
    return (
      <Alert
        title="Could not tell which trackers are connected"
        action={
          <Button size="sm" onClick={() => void integrations.refetch()}>
            Try again
          </Button>
        }
      >
        {errorMessage(integrations.error)}
      </Alert>
    );
  }
  if (trackers.length === 0) {
    return (
      <div className="form-stack" data-testid="create-issue-no-tracker">
        <Alert tone="info" title="No issue tracker is connected">
          An admin connects GitHub, Jira or Linear under{" "}
          <Link href={`/${orgSlug}/settings/integrations`}>Settings → Integrations</Link>.
        </Alert>
        <div className="ui-dialog__footer">
          <Button onClick={onDone} autoFocus>
            Close
          </Button>
        </div>
      </div>
    );
  }

  // The server's own sentence ("Linear is not connected: an admin connects…"); fields repeat their part.
  const summary = isApiError(filingError) ? filingError.message : errorMessage(filingError);

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="create-issue-form">
      <SelectField
        label="File in"
        name="tracker"
        value={tracker ?? ""}
        options={trackers.map((t) => ({ value: t, label: TRACKER_LABELS[t] }))}
        onChange={(event) => set({ tracker: event.target.value as Tracker })}
        error={fields.tracker}
        autoFocus
        data-testid="create-issue-tracker"
      />
      {tracker === "github" && (
        <SelectField
          label="Repository"
          name="repositoryId"
          value={repositoryId}
          options={repos.map((r) => ({ value: r.id, label: r.fullName }))}
          onChange={(event) => set({ repositoryId: event.target.value })}
          error={fields.repositoryId}
        />
      )}
      {tracker === "jira" && (
        <>
          <TextField
            label="Jira project key"
            name="projectKey"
            value={form.projectKey}
            placeholder="PAY"
            onChange={(event) => set({ projectKey: event.target.value })}
            error={fields.projectKey}
            spellCheck={false}
            autoComplete="off"
            data-testid="create-issue-project-key"
          />
          <TextField
            label="Issue type"
            name="issueType"
            value={form.issueType}
            onChange={(event) => set({ issueType: event.target.value })}
            error={fields.issueType}
          />
        </>
      )}
      {tracker === "linear" && (
        <TextField
          label="Linear team id"
          name="teamId"
          value={form.teamId}
          onChange={(event) => set({ teamId: event.target.value })}
          hint="The id of the Linear team the issue goes to."
          error={fields.teamId}
          spellCheck={false}
          autoComplete="off"
          data-testid="create-issue-team-id"
        />
      )}
      <TextField
        label="Title (optional)"
        name="title"
        value={form.title}
        maxLength={120}
        onChange={(event) => set({ title: event.target.value })}
        hint="Leave empty to use the passage's heading or first sentence."
        error={fields.title}
        data-testid="create-issue-title"
      />
      <div className="doc-issues__passage">
        <span className="ui-field__label" id="create-issue-passage-label">
          Passage
        </span>
        <blockquote aria-labelledby="create-issue-passage-label" data-testid="create-issue-passage">
          {passage}
        </blockquote>
        {fields.passage && <p className="ui-field__error">{fields.passage}</p>}
      </div>
      <PassageTriage
        organizationId={organizationId}
        passage={passage}
        repositoryId={tracker === "github" ? repositoryId : undefined}
      />
      {summary && <Alert>{summary}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onDone} disabled={isFiling}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isLoading={isFiling} data-testid="create-issue-submit">
          Create issue
        </Button>
      </div>
    </form>
  );
}
