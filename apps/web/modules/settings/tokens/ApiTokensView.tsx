"use client";

import type { ApiTokenDto, ApiTokenScope, MyOrganizationDto } from "@devflow/contracts";
import { errorMessage, useListApiTokensInfiniteQuery, useRevokeApiTokenMutation } from "@devflow/web-data-access";
import { Alert, Badge, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useState } from "react";
import { formatDateTime, timeAgo } from "../../common/format";
import { PlusIcon } from "../../common/icons";
import { NewApiTokenDialog } from "./NewApiTokenDialog";
import { ACCESS_CHOICES, accessOf, isExpired, shortPrefix } from "./token-format";
import styles from "./tokens.module.css";

export interface ApiTokensViewProps {
  organization: MyOrganizationDto;
  /** The scopes the member's role lets a token have (from the permission policy, on the server). */
  allowedScopes: readonly ApiTokenScope[];
}

/** The signed-in person's API tokens in this organization: list, create (shown once) and revoke. */
export function ApiTokensView({ organization, allowedScopes }: ApiTokensViewProps) {
  const [isCreating, setIsCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiTokenDto | null>(null);
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListApiTokensInfiniteQuery({ organizationId: organization.id });
  const [revokeApiToken, revocation] = useRevokeApiTokenMutation();
  const tokens = currentData?.pages.flatMap((page) => page.items) ?? [];

  async function revoke() {
    if (!revoking) return;
    const result = await revokeApiToken({ organizationId: organization.id, tokenId: revoking.id });
    if (!result.error) setRevoking(null);
  }

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">API tokens</h1>
          <p className="page-subtitle">
            Personal tokens let scripts and tools call the {organization.name} API as you, within the access you give
            them. They never do more than your role allows.
          </p>
        </div>
        <div className="page-actions">
          <Button variant="primary" onClick={() => setIsCreating(true)} data-testid="new-token">
            <PlusIcon />
            New token
          </Button>
        </div>
      </header>

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={3} label="Loading API tokens" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load your API tokens"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && tokens.length === 0 && (
        <EmptyState
          testId="tokens-empty"
          title="No API tokens yet"
          description="Create a token for a script, CI job or tool that needs to reach DevFlow on your behalf."
          action={
            <Button variant="primary" onClick={() => setIsCreating(true)}>
              Create a token
            </Button>
          }
        />
      )}
      {tokens.length > 0 && (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="token-list">
            <caption className="ui-visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Access</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="ui-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <TokenRow key={token.id} token={token} onRevoke={() => setRevoking(token)} />
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

      <NewApiTokenDialog
        organizationId={organization.id}
        allowedScopes={allowedScopes}
        isOpen={isCreating}
        onClose={() => setIsCreating(false)}
      />
      <ConfirmDialog
        isOpen={revoking !== null}
        title="Revoke this token?"
        message={
          revoking && (
            <>
              Anything using <strong>{revoking.name}</strong> ({shortPrefix(revoking.prefix)}) stops working at once.
              This cannot be undone.
            </>
          )
        }
        confirmLabel="Revoke token"
        isDestructive
        isBusy={revocation.isLoading}
        error={revocation.error !== undefined ? errorMessage(revocation.error) : null}
        onConfirm={revoke}
        onCancel={() => {
          revocation.reset();
          setRevoking(null);
        }}
      />
    </div>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiTokenDto; onRevoke: () => void }) {
  const hasExpired = isExpired(token);
  return (
    <tr data-testid="token-row" data-token-id={token.id}>
      <td className={styles.name}>{token.name}</td>
      <td className={styles.prefix} title={token.prefix}>
        {shortPrefix(token.prefix)}
      </td>
      <td>
        <Badge tone={accessOf(token.scopes) === "admin" ? "violet" : "neutral"}>
          {ACCESS_CHOICES[accessOf(token.scopes)].label}
        </Badge>
      </td>
      <td className={styles.muted} title={formatDateTime(token.createdAt)}>
        {timeAgo(token.createdAt)}
      </td>
      <td className={styles.muted}>
        {hasExpired ? (
          <Badge tone="red" testId="token-expired">
            Expired
          </Badge>
        ) : token.expiresAt ? (
          <span title={formatDateTime(token.expiresAt)}>{timeAgo(token.expiresAt)}</span>
        ) : (
          "Never"
        )}
      </td>
      <td className={styles.muted}>
        {token.lastUsedAt ? <span title={formatDateTime(token.lastUsedAt)}>{timeAgo(token.lastUsedAt)}</span> : "Never"}
      </td>
      <td className={styles.actions}>
        <Button
          size="sm"
          variant="ghost"
          onClick={onRevoke}
          aria-label={`Revoke ${token.name}`}
          data-testid="revoke-token"
        >
          Revoke
        </Button>
      </td>
    </tr>
  );
}
