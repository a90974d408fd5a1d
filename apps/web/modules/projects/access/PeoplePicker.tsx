"use client";

import { PAGE_SIZE_MAX } from "@devflow/contracts";
import { errorMessage, useListMembersInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Avatar, Button, Spinner, TextField } from "@devflow/web-ui";
import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { matchPeople, type DraftPerson } from "./access-draft";
import styles from "./access.module.css";

const SHOWN_MATCHES = 8;

export interface PeoplePickerProps {
  organizationId: string;
  chosen: readonly DraftPerson[];
  onAdd: (person: DraftPerson) => void;
}

/**
 * Finds members of the organization by name or email. The members endpoint has no search, so this
 * filters the pages loaded so far and offers to load more when nothing on them matches.
 */
export function PeoplePicker({ organizationId, chosen, onAdd }: PeoplePickerProps) {
  const [search, setSearch] = useState("");
  const resultsId = useId();
  const { data, error, isLoading, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListMembersInfiniteQuery({ organizationId, limit: PAGE_SIZE_MAX });
  const candidates = useMemo(
    () =>
      (data?.pages.flatMap((page) => page.items) ?? []).map((m) => ({
        userId: m.user.id,
        name: m.user.name,
        email: m.user.email,
        avatarUrl: m.user.avatarUrl,
      })),
    [data],
  );
  const matches = matchPeople(candidates, chosen, search);

  function add(person: DraftPerson) {
    onAdd({ userId: person.userId, name: person.name, email: person.email });
    setSearch("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Enter picks the best match instead of submitting the whole dialog.
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = matches[0];
    if (search.trim() && first) add(first);
  }

  return (
    <div className={styles.section} data-testid="share-people-picker">
      <TextField
        label="Add people"
        placeholder="Search members by name or email"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={onKeyDown}
        aria-controls={resultsId}
        autoComplete="off"
        data-testid="share-people-search"
      />
      {isLoading && (
        <p className={styles.loading}>
          <Spinner size={14} /> Loading members…
        </p>
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
      {data && matches.length === 0 && (
        <p className={styles.muted} data-testid="share-people-empty">
          {search.trim()
            ? `No member${hasNextPage ? " loaded so far" : ""} matches “${search.trim()}”.`
            : "Everyone loaded so far is already on the list."}
        </p>
      )}
      <ul id={resultsId} className={styles.results} aria-label="Matching members">
        {matches.slice(0, SHOWN_MATCHES).map((person) => (
          <li key={person.userId}>
            <button
              type="button"
              className={styles.result}
              onClick={() => add(person)}
              data-testid="share-person-option"
            >
              <Avatar name={person.name} imageUrl={person.avatarUrl} size={24} />
              <span className={styles.resultText}>
                <span>{person.name}</span>
                <span className={styles.muted}>{person.email}</span>
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
            data-testid="share-people-more"
          >
            Load more members
          </Button>
        </div>
      )}
    </div>
  );
}
