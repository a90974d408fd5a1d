"use client";

import type { QualityGateSettings, RepositoryDto } from "@devflow/contracts";
import { errorMessage, useGetQualityGatesQuery, useSetQualityGatesMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, Spinner, TextField } from "@devflow/web-ui";
import { useId, useState, type FormEvent } from "react";
import styles from "./integrations.module.css";

type GateSwitch = "requireTestsWithSource" | "requireLinkedDoc" | "requireApprovedDoc";

/** The on/off gates, each with the one line that says when it fails a pull request. */
const SWITCHES: { gate: GateSwitch; label: string; explanation: string }[] = [
  {
    gate: "requireTestsWithSource",
    label: "Require tests with source changes",
    explanation: "Fails when source files changed and no test file did.",
  },
  {
    gate: "requireLinkedDoc",
    label: "Require a linked design doc",
    explanation: "Fails when the description links no DevFlow design doc (a document URL or devflow:<id>).",
  },
  {
    gate: "requireApprovedDoc",
    label: "Require linked docs to be approved",
    explanation: "Fails when a linked design doc is not approved; neutral when none is linked.",
  },
];

export interface QualityGatesDialogProps {
  organizationId: string;
  /** The repository whose gates are shown; the dialog is open while it is not null. */
  repository: RepositoryDto | null;
  /** Admins and owners may save; anyone else sees the gates read-only. */
  canEdit: boolean;
  onClose: () => void;
}

/**
 * "Quality gates": what the "DevFlow quality gates" check run holds a repository's pull requests
 * to. Saving replaces all four gates; the next analysis of each pull request uses them.
 */
export function QualityGatesDialog({ organizationId, repository, canEdit, onClose }: QualityGatesDialogProps) {
  return (
    <Dialog
      isOpen={repository !== null}
      title="Quality gates"
      description={
        repository && (
          <>
            What the <strong>DevFlow quality gates</strong> check fails a pull request of {repository.fullName} for.
          </>
        )
      }
      onClose={onClose}
      testId="quality-gates-dialog"
    >
      {repository && (
        <QualityGatesLoader
          organizationId={organizationId}
          repositoryId={repository.id}
          canEdit={canEdit}
          onDone={onClose}
        />
      )}
    </Dialog>
  );
}

function QualityGatesLoader({
  organizationId,
  repositoryId,
  canEdit,
  onDone,
}: {
  organizationId: string;
  repositoryId: string;
  canEdit: boolean;
  onDone: () => void;
}) {
  // Read afresh on each opening: another admin may have changed them since.
  const { data, error, refetch } = useGetQualityGatesQuery(
    { organizationId, repositoryId },
    { refetchOnMountOrArgChange: true },
  );
  if (error !== undefined) {
    return (
      <Alert
        title="Could not load the quality gates"
        action={
          <Button size="sm" onClick={() => void refetch()}>
            Try again
          </Button>
        }
      >
        {errorMessage(error)}
      </Alert>
    );
  }
  if (!data) return <Spinner label="Loading the quality gates" />;
  return (
    <QualityGatesForm
      organizationId={organizationId}
      repositoryId={repositoryId}
      stored={data}
      canEdit={canEdit}
      onDone={onDone}
    />
  );
}

function QualityGatesForm({
  organizationId,
  repositoryId,
  stored,
  canEdit,
  onDone,
}: {
  organizationId: string;
  repositoryId: string;
  stored: QualityGateSettings;
  canEdit: boolean;
  onDone: () => void;
}) {
  const idPrefix = useId();
  const [maxRisk, setMaxRisk] = useState(String(stored.maxRisk));
  const [switches, setSwitches] = useState<Record<GateSwitch, boolean>>(stored);
  const [maxRiskError, setMaxRiskError] = useState<string | undefined>();
  const [save, { isLoading: isSaving, error }] = useSetQualityGatesMutation();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const risk = Number(maxRisk);
    if (maxRisk.trim() === "" || !Number.isInteger(risk) || risk < 0 || risk > 100) {
      setMaxRiskError("Enter a whole number from 0 to 100");
      return;
    }
    setMaxRiskError(undefined);
    const gates: QualityGateSettings = {
      maxRisk: risk,
      requireTestsWithSource: switches.requireTestsWithSource,
      requireLinkedDoc: switches.requireLinkedDoc,
      requireApprovedDoc: switches.requireApprovedDoc,
    };
    const result = await save({ organizationId, repositoryId, gates });
    if (result.data) onDone();
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="quality-gates-form">
      <TextField
        label="Maximum risk"
        name="maxRisk"
        type="number"
        inputMode="numeric"
        min={0}
        max={100}
        step={1}
        value={maxRisk}
        onChange={(event) => setMaxRisk(event.target.value)}
        hint="Fails when the pull request's risk score (0–100) is above this."
        error={maxRiskError}
        disabled={!canEdit || isSaving}
        autoFocus={canEdit}
        data-testid="quality-gates-max-risk"
      />
      {SWITCHES.map(({ gate, label, explanation }) => (
        <div key={gate} className={styles.gateSwitch}>
          <input
            id={`${idPrefix}-${gate}`}
            type="checkbox"
            checked={switches[gate]}
            disabled={!canEdit || isSaving}
            aria-describedby={`${idPrefix}-${gate}-help`}
            onChange={(event) => setSwitches((current) => ({ ...current, [gate]: event.target.checked }))}
            data-testid={`quality-gates-${gate}`}
          />
          <div>
            <label htmlFor={`${idPrefix}-${gate}`} className={styles.gateLabel}>
              {label}
            </label>
            <p id={`${idPrefix}-${gate}-help`} className={styles.gateHelp}>
              {explanation}
            </p>
          </div>
        </div>
      ))}
      {!canEdit && (
        <Alert tone="info" title="Read only">
          Only admins and owners can change a repository&apos;s quality gates.
        </Alert>
      )}
      {error !== undefined && <Alert title="Could not save the quality gates">{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onDone} disabled={isSaving}>
          {canEdit ? "Cancel" : "Close"}
        </Button>
        {canEdit && (
          <Button type="submit" variant="primary" isLoading={isSaving} data-testid="quality-gates-save">
            Save
          </Button>
        )}
      </div>
    </form>
  );
}
