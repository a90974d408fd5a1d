"use client";

import {
  AUDIT_ACTION_NAMES,
  type AuditExportFormat,
  type AuditLogEntryDto,
  type MyOrganizationDto,
} from "@devflow/contracts";
import { errorMessage, fetchAuditLogExport, useListAuditLogInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SelectField, SkeletonList, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "../../common/format";
import { actionLabel, EMPTY_FILTERS, hasFilters, toFilterArgs, type AuditFilterForm } from "./audit-filters";
import styles from "./audit.module.css";

const ACTION_OPTIONS = [
  { value: "", label: "Any action" },
  ...AUDIT_ACTION_NAMES.map((action) => ({ value: action, label: actionLabel(action) })),
];

/** The organization's audit log for admins: filter, page back in time, export what is filtered. */
export function AuditLogView({ organization }: { organization: MyOrganizationDto }) {
  const [draft, setDraft] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const filterArgs = toFilterArgs(applied);
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListAuditLogInfiniteQuery({ organizationId: organization.id, ...filterArgs });
  const entries = currentData?.pages.flatMap((page) => page.items) ?? [];

  function apply(event: FormEvent) {
    event.preventDefault();
    setApplied(draft);
  }

  /** Clicking an actor narrows the log to them at once; "Show everyone" widens it again. */
  function filterByActor(actor: AuditFilterForm["actor"]) {
    const next = { ...draft, actor };
    setDraft(next);
    setApplied(next);
  }

  function clear() {
    setDraft(EMPTY_FILTERS);
    setApplied(EMPTY_FILTERS);
  }

  async function download(format: AuditExportFormat) {
    setExporting(format);
    setExportError(null);
    try {
      const { blob, filename } = await fetchAuditLogExport({ organizationId: organization.id, format, ...filterArgs });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      link.click();
      // Revoked on the next tick: some browsers start the download asynchronously after click().
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (failure) {
      setExportError(errorMessage(failure));
    } finally {
      setExporting(null);
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Audit log</h1>
          <p className="page-subtitle">
            Security-relevant changes in {organization.name}: sign-ins, members, tokens and single sign-on. Newest
            first; times in your time zone, date filters in UTC.
          </p>
        </div>
        <div className="page-actions">
          <Button
            onClick={() => download("csv")}
            isLoading={exporting === "csv"}
            disabled={exporting !== null}
            data-testid="export-csv"
          >
            Export CSV
          </Button>
          <Button
            onClick={() => download("json")}
            isLoading={exporting === "json"}
            disabled={exporting !== null}
            data-testid="export-json"
          >
            Export JSON
          </Button>
        </div>
      </header>

      {exportError && <Alert title="Could not export the audit log">{exportError}</Alert>}

      <form
        className={`panel ${styles.filters}`}
        onSubmit={apply}
        aria-label="Filter the audit log"
        data-testid="audit-filters"
      >
        <SelectField
          label="Action"
          name="action"
          value={draft.action}
          options={ACTION_OPTIONS}
          onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          data-testid="audit-filter-action"
        />
        <TextField
          label="From"
          name="from"
          type="date"
          value={draft.fromDay}
          onChange={(event) => setDraft({ ...draft, fromDay: event.target.value })}
          data-testid="audit-filter-from"
        />
        <TextField
          label="To"
          name="to"
          type="date"
          value={draft.toDay}
          min={draft.fromDay || undefined}
          onChange={(event) => setDraft({ ...draft, toDay: event.target.value })}
          data-testid="audit-filter-to"
        />
        <div className={styles.filterActions}>
          <Button type="submit" variant="primary" data-testid="audit-filter-apply">
            Apply
          </Button>
          {(hasFilters(draft) || hasFilters(applied)) && (
            <Button onClick={clear} data-testid="audit-filter-clear">
              Clear
            </Button>
          )}
        </div>
        {applied.actor && (
          <p className={styles.actorChip} data-testid="audit-filter-actor">
            Only actions by <strong>{applied.actor.label}</strong>
            <Button size="sm" variant="ghost" onClick={() => filterByActor(null)} aria-label="Show every actor">
              Show everyone
            </Button>
          </p>
        )}
      </form>

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading the audit log" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load the audit log"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && entries.length === 0 && (
        <EmptyState
          testId="audit-empty"
          title={hasFilters(applied) ? "Nothing matches these filters" : "Nothing recorded yet"}
          description={
            hasFilters(applied)
              ? "Try a wider date range or another action."
              : "Sign-ins, member changes, API tokens and SSO changes will show up here."
          }
        />
      )}
      {entries.length > 0 && (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="audit-list">
            <caption className="ui-visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">IP address</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} onActor={filterByActor} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => fetchNextPage()} isLoading={isFetchingNextPage} data-testid="load-more">
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}

function AuditRow({
  entry,
  onActor,
}: {
  entry: AuditLogEntryDto;
  onActor: (actor: NonNullable<AuditFilterForm["actor"]>) => void;
}) {
  const actor = entry.actor;
  const actorName = actor?.name ?? actor?.email ?? "Deleted user";
  return (
    <tr data-testid="audit-row" data-entry-id={entry.id}>
      <td className={styles.time}>
        <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
      </td>
      <td>
        {actor ? (
          <button
            type="button"
            className={styles.actorButton}
            onClick={() => onActor({ id: actor.id, label: actorName })}
            title={`Show only actions by ${actorName}`}
          >
            <span className={styles.actorName}>{actorName}</span>
            {actor.email && actor.name && <span className={styles.actorEmail}>{actor.email}</span>}
          </button>
        ) : (
          <span className={styles.muted}>{entry.actorType === "system" ? "DevFlow" : entry.actorType}</span>
        )}
        {actor && entry.actorType !== "user" && (
          <div className={styles.muted}>via {entry.actorType.replace("_", " ")}</div>
        )}
      </td>
      <td>
        <span>{actionLabel(entry.action)}</span>
        <div className={`${styles.code} ${styles.muted}`}>{entry.action}</div>
      </td>
      <td>
        {entry.target ? (
          <>
            <span>{entry.target.type.replace("_", " ")}</span>
            <div className={`${styles.code} ${styles.muted}`}>{entry.target.id}</div>
          </>
        ) : (
          <span className={styles.muted}>—</span>
        )}
      </td>
      <td className={entry.ipAddress ? styles.code : styles.muted}>{entry.ipAddress ?? "—"}</td>
    </tr>
  );
}
