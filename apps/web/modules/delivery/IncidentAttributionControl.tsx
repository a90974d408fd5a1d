"use client";

import type { DoraDeploymentRowDto, DoraIncidentRowDto } from "@devflow/contracts";
import { errorMessage, useAttributeIncidentMutation } from "@devflow/web-data-access";
import { Button, SelectField } from "@devflow/web-ui";
import { useState } from "react";
import { formatDateTime } from "../common/format";
import { shortSha } from "./delivery-format";
import styles from "./delivery.module.css";

const NONE = "";

/**
 * An admin's correction of the deployment an incident is blamed on: any of the window's finished
 * deployments in the environment, or none. The metrics are read again once it is saved.
 */
export function IncidentAttributionControl({
  organizationId,
  incident,
  deployments,
}: {
  organizationId: string;
  incident: DoraIncidentRowDto;
  /** The window's deployments that count for change failure rate. */
  deployments: DoraDeploymentRowDto[];
}) {
  const current = incident.deploymentId ?? NONE;
  const [choice, setChoice] = useState(current);
  const [attribute, { isLoading, error, reset }] = useAttributeIncidentMutation();
  const options = [
    { value: NONE, label: "No deployment" },
    // An attribution outside the window stays selectable, so saving something else is a choice.
    ...(current !== NONE && !deployments.some((d) => d.id === current)
      ? [{ value: current, label: "Current (outside this window)" }]
      : []),
    ...deployments.map((d) => ({
      value: d.id,
      label: `${d.repository} ${shortSha(d.sha)} · ${formatDateTime(d.finishedAt ?? d.createdAt)}`,
    })),
  ];

  async function save() {
    reset();
    await attribute({ organizationId, incidentId: incident.id, input: { deploymentId: choice || null } })
      .unwrap()
      .catch(() => undefined); // shown from `error`
  }

  return (
    <div className={styles.attribution} data-testid="incident-attribution">
      <SelectField
        label={`Deployment to blame for “${incident.title}”`}
        isLabelHidden
        value={choice}
        onChange={(event) => setChoice(event.target.value)}
        options={options}
      />
      <Button
        size="sm"
        onClick={() => void save()}
        isLoading={isLoading}
        disabled={choice === current}
        data-testid="incident-attribution-save"
      >
        Save
      </Button>
      {error !== undefined && <span className={styles.errorText}>{errorMessage(error)}</span>}
    </div>
  );
}
