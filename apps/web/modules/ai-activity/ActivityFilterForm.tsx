"use client";

import { AGENT_EXECUTION_STATUSES, AI_CALL_STATUSES, AI_SURFACES } from "@devflow/contracts";
import { Button, SelectField, TextField } from "@devflow/web-ui";
import { useId, type FormEvent } from "react";
import type { ActivityFilters } from "./activity-filters";
import { OUTCOME_LABELS, STATUS_LABELS, SURFACE_LABELS } from "./labels";
import styles from "./ai-activity.module.css";

export interface ActivityFilterFormProps {
  draft: ActivityFilters;
  onChange: (draft: ActivityFilters) => void;
  onApply: () => void;
  /** Shown when something is filtered; resets to the defaults. */
  onClear: (() => void) | null;
  projects: { id: string; name: string }[];
  /** Models seen in the range, offered as suggestions (any name may be typed). */
  models: string[];
}

/** The filters of the tab in `draft.tab`; applying puts them in the URL. */
export function ActivityFilterForm({ draft, onChange, onApply, onClear, projects, models }: ActivityFilterFormProps) {
  const modelsListId = useId();
  const set = <K extends keyof ActivityFilters>(key: K, value: ActivityFilters[K]) =>
    onChange({ ...draft, [key]: value });
  const isCalls = draft.tab === "calls";

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply();
  }

  return (
    <form
      className={`panel ${styles.filters}`}
      onSubmit={submit}
      aria-label={isCalls ? "Filter AI calls" : "Filter agent runs"}
      data-testid="activity-filters"
    >
      <SelectField
        label="Project"
        name="projectId"
        value={draft.projectId}
        options={[{ value: "", label: "All projects" }, ...projects.map((p) => ({ value: p.id, label: p.name }))]}
        onChange={(e) => set("projectId", e.target.value)}
        data-testid="filter-project"
      />
      {isCalls ? (
        <>
          <SelectField
            label="Surface"
            name="surface"
            value={draft.surface}
            options={[
              { value: "", label: "Any surface" },
              ...AI_SURFACES.map((s) => ({ value: s, label: SURFACE_LABELS[s] })),
            ]}
            onChange={(e) => set("surface", e.target.value as ActivityFilters["surface"])}
            data-testid="filter-surface"
          />
          <TextField
            label="Model"
            name="model"
            value={draft.model}
            list={modelsListId}
            placeholder="Any model"
            autoComplete="off"
            onChange={(e) => set("model", e.target.value)}
            data-testid="filter-model"
          />
          <datalist id={modelsListId}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <SelectField
            label="Status"
            name="status"
            value={draft.status}
            options={[
              { value: "", label: "Any status" },
              ...AI_CALL_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
            ]}
            onChange={(e) => set("status", e.target.value as ActivityFilters["status"])}
            data-testid="filter-status"
          />
        </>
      ) : (
        <>
          <TextField
            label="Client"
            name="agent"
            value={draft.agent}
            placeholder="Any client"
            onChange={(e) => set("agent", e.target.value)}
            data-testid="filter-agent"
          />
          <TextField
            label="Tool"
            name="tool"
            value={draft.tool}
            placeholder="Any tool"
            onChange={(e) => set("tool", e.target.value)}
            data-testid="filter-tool"
          />
          <SelectField
            label="Outcome"
            name="outcome"
            value={draft.outcome}
            options={[
              { value: "", label: "Any outcome" },
              ...AGENT_EXECUTION_STATUSES.map((s) => ({ value: s, label: OUTCOME_LABELS[s] })),
            ]}
            onChange={(e) => set("outcome", e.target.value as ActivityFilters["outcome"])}
            data-testid="filter-outcome"
          />
        </>
      )}
      <TextField
        label="From"
        name="from"
        type="date"
        value={draft.from}
        max={draft.to || undefined}
        onChange={(e) => set("from", e.target.value)}
        data-testid="filter-from"
      />
      <TextField
        label="To"
        name="to"
        type="date"
        value={draft.to}
        min={draft.from || undefined}
        onChange={(e) => set("to", e.target.value)}
        data-testid="filter-to"
      />
      <div className={styles.filterActions}>
        <Button type="submit" variant="primary" data-testid="filter-apply">
          Apply
        </Button>
        {onClear && (
          <Button onClick={onClear} data-testid="filter-clear">
            Clear
          </Button>
        )}
      </div>
    </form>
  );
}
