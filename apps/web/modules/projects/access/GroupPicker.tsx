"use client";

import { errorMessage, useListGroupsInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, Spinner, TextField } from "@devflow/web-ui";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { countOf } from "../../common/format";
import type { DraftGroup } from "./access-draft";
import styles from "./access.module.css";
import { PeopleIcon } from "./icons";

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 250;

export interface GroupPickerProps {
  organizationId: string;
  chosen: readonly DraftGroup[];
  onAdd: (group: DraftGroup) => void;
}

/** Finds the organization's groups by name (searched on the server; groups come from SCIM). */
export function GroupPicker({ organizationId, chosen, onAdd }: GroupPickerProps) {
  const [search, setSearch] = useState("");
  const q = useSettled(search.trim(), SEARCH_DELAY_MS);
  const resultsId = useId();
  const { data, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListGroupsInfiniteQuery({ organizationId, limit: PAGE_SIZE, ...(q && { q }) });
  const taken = new Set(chosen.map((g) => g.groupId));
  const matches = (data?.pages.flatMap((page) => page.items) ?? []).filter((g) => !taken.has(g.id));

  function add(group: (typeof matches)[number]) {
    onAdd({ groupId: group.id, name: group.name, memberCount: group.memberCount });
    setSearch("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = matches[0];
    if (search.trim() && q === search.trim() && first) add(first);
  }

  return (
    <div className={styles.section} data-testid="share-group-picker">
      <TextField
        label="Add groups"
        placeholder="Search groups by name"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={onKeyDown}
        aria-controls={resultsId}
        autoComplete="off"
        data-testid="share-group-search"
      />
      {isFetching && !isFetchingNextPage && (
        <p className={styles.loading}>
          <Spinner size={14} /> Loading groups…
        </p>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load groups"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {data && !isFetching && matches.length === 0 && (
        <p className={styles.muted} data-testid="share-groups-empty">
          {q
            ? `No group matches “${q}”.`
            : data.pages[0]?.items.length
              ? "Every group is already on the list."
              : "This organization has no groups yet. Your identity provider creates them through SCIM."}
        </p>
      )}
      <ul id={resultsId} className={styles.results} aria-label="Matching groups">
        {matches.map((group) => (
          <li key={group.id}>
            <button type="button" className={styles.result} onClick={() => add(group)} data-testid="share-group-option">
              <PeopleIcon />
              <span className={styles.resultText}>
                <span>{group.name}</span>
                <span className={styles.muted}>{countOf(group.memberCount, "member")}</span>
              </span>
              <span className="ui-visually-hidden">: add to the list</span>
            </button>
          </li>
        ))}
      </ul>
      {hasNextPage && (
        <div>
          <Button
            size="sm"
            onClick={() => fetchNextPage()}
            isLoading={isFetchingNextPage}
            data-testid="share-groups-more"
          >
            Load more groups
          </Button>
        </div>
      )}
    </div>
  );
}

/** `value` once it has stopped changing for `delayMs`, so typing does not send a request per key. */
function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
