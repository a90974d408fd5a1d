"use client";

import type { ProjectAccessDto, ProjectVisibility } from "@devflow/contracts";
import { errorMessage, useGetProjectAccessQuery, useSetProjectAccessMutation } from "@devflow/web-data-access";
import { Alert, Avatar, Button, Dialog, SkeletonList } from "@devflow/web-ui";
import { useId, useState, type FormEvent } from "react";
import { countOf } from "../../common/format";
import {
  addGroup,
  addPerson,
  draftFrom,
  draftProblem,
  removeGroup,
  removePerson,
  toInput,
  type AccessDraft,
} from "./access-draft";
import styles from "./access.module.css";
import { GroupPicker } from "./GroupPicker";
import { PeopleIcon } from "./icons";
import { PeoplePicker } from "./PeoplePicker";

export interface ShareProjectDialogProps {
  organizationId: string;
  projectId: string;
  projectName: string;
  isOpen: boolean;
  onClose: () => void;
}

const VISIBILITY_CHOICES: Record<ProjectVisibility, { label: string; description: string }> = {
  organization: {
    label: "Everyone in the organization",
    description: "Every member can find the project and read its documents.",
  },
  private: {
    label: "Only people and groups I choose",
    description: "Hidden from everyone else, in lists, search and the assistant. Admins and owners always see it.",
  },
};

/** Chooses who may see a project: open to the organization, or a list of people and groups. */
export function ShareProjectDialog({
  organizationId,
  projectId,
  projectName,
  isOpen,
  onClose,
}: ShareProjectDialogProps) {
  return (
    <Dialog isOpen={isOpen} title={`Share ${projectName}`} onClose={onClose} testId="share-dialog">
      <ShareLoader organizationId={organizationId} projectId={projectId} onClose={onClose} />
    </Dialog>
  );
}

function ShareLoader({
  organizationId,
  projectId,
  onClose,
}: Pick<ShareProjectDialogProps, "organizationId" | "projectId" | "onClose">) {
  const { data, error, refetch } = useGetProjectAccessQuery({ organizationId, projectId });
  if (error !== undefined) {
    return (
      <>
        <Alert
          title="Could not load who can see this project"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
        <div className="ui-dialog__footer">
          <Button onClick={onClose}>Close</Button>
        </div>
      </>
    );
  }
  if (!data) return <SkeletonList rows={3} label="Loading who can see this project" />;
  return <ShareForm organizationId={organizationId} access={data} onClose={onClose} />;
}

function ShareForm({
  organizationId,
  access,
  onClose,
}: {
  organizationId: string;
  access: ProjectAccessDto;
  onClose: () => void;
}) {
  // Seeded once: a background refetch must not throw away what the user is editing.
  const [draft, setDraft] = useState<AccessDraft>(() => draftFrom(access));
  const [setAccess, { isLoading, error }] = useSetProjectAccessMutation();
  const problem = draftProblem(draft);
  const isPrivate = draft.visibility === "private";
  const readOnly = !access.canManage;
  const peopleHeading = useId();
  const groupsHeading = useId();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (readOnly || problem) return;
    const result = await setAccess({ organizationId, projectId: access.projectId, input: toInput(draft) });
    if (result.data) onClose();
  }

  return (
    <form className="form-stack" onSubmit={save} noValidate data-testid="share-form">
      {readOnly && (
        <Alert tone="info">Only admins, owners and the project&rsquo;s creator can change who can see it.</Alert>
      )}
      <fieldset className={styles.visibility} disabled={readOnly} data-testid="share-visibility">
        <legend>Who can see this project</legend>
        {(Object.keys(VISIBILITY_CHOICES) as ProjectVisibility[]).map((visibility) => (
          <label key={visibility} className={styles.option}>
            <input
              type="radio"
              name="visibility"
              value={visibility}
              checked={draft.visibility === visibility}
              onChange={() => setDraft({ ...draft, visibility })}
              data-testid={`share-visibility-${visibility}`}
            />
            <span className={styles.optionLabel}>{VISIBILITY_CHOICES[visibility].label}</span>
            <span className={styles.optionDescription}>{VISIBILITY_CHOICES[visibility].description}</span>
          </label>
        ))}
      </fieldset>

      {isPrivate ? (
        <>
          <section className={styles.section} aria-labelledby={peopleHeading}>
            <h3 id={peopleHeading} className={styles.sectionTitle}>
              People ({draft.people.length})
            </h3>
            {draft.people.length === 0 ? (
              <p className={styles.muted} data-testid="share-people-none">
                No one is listed yet.
              </p>
            ) : (
              <ul className={styles.chips} aria-label="People who can see this project" data-testid="share-people">
                {draft.people.map((person) => (
                  <li key={person.userId} className={styles.chip} data-testid="share-person-chip" title={person.email}>
                    <Avatar name={person.name} size={20} />
                    <span className={styles.chipText}>{person.name}</span>
                    {!readOnly && (
                      <RemoveButton
                        label={`Remove ${person.name}`}
                        onClick={() => setDraft(removePerson(draft, person.userId))}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
            {!readOnly && (
              <PeoplePicker
                organizationId={organizationId}
                chosen={draft.people}
                onAdd={(person) => setDraft(addPerson(draft, person))}
              />
            )}
          </section>

          <section className={styles.section} aria-labelledby={groupsHeading}>
            <h3 id={groupsHeading} className={styles.sectionTitle}>
              Groups ({draft.groups.length})
            </h3>
            {draft.groups.length === 0 ? (
              <p className={styles.muted} data-testid="share-groups-none">
                No groups are listed yet.
              </p>
            ) : (
              <ul className={styles.chips} aria-label="Groups who can see this project" data-testid="share-groups">
                {draft.groups.map((group) => (
                  <li key={group.groupId} className={styles.chip} data-testid="share-group-chip">
                    <PeopleIcon size={14} />
                    <span className={styles.chipText}>
                      {group.name} <span className={styles.muted}>· {countOf(group.memberCount, "member")}</span>
                    </span>
                    {!readOnly && (
                      <RemoveButton
                        label={`Remove ${group.name}`}
                        onClick={() => setDraft(removeGroup(draft, group.groupId))}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
            {!readOnly && (
              <GroupPicker
                organizationId={organizationId}
                chosen={draft.groups}
                onAdd={(group) => setDraft(addGroup(draft, group))}
              />
            )}
          </section>
        </>
      ) : (
        (draft.people.length > 0 || draft.groups.length > 0) && (
          <p className={styles.muted} data-testid="share-list-kept">
            {countOf(draft.people.length, "person", "people")} and {countOf(draft.groups.length, "group")} stay on the
            list, for when the project is private again.
          </p>
        )
      )}

      {problem && <Alert>{problem}</Alert>}
      {error !== undefined && (
        <div data-testid="share-error">
          <Alert title="Could not save">{errorMessage(error)}</Alert>
        </div>
      )}
      <div className="ui-dialog__footer">
        <Button onClick={onClose} disabled={isLoading} data-testid="share-cancel">
          {readOnly ? "Close" : "Cancel"}
        </Button>
        {!readOnly && (
          <Button
            type="submit"
            variant="primary"
            isLoading={isLoading}
            disabled={problem !== null}
            data-testid="share-save"
          >
            Save
          </Button>
        )}
      </div>
    </form>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className={styles.chipRemove}
      aria-label={label}
      title={label}
      onClick={onClick}
      data-testid="share-chip-remove"
    >
      <svg
        width="10"
        height="10"
        viewBox="0 0 10 10"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        aria-hidden
      >
        <path d="M2 2l6 6M8 2l-6 6" />
      </svg>
    </button>
  );
}
