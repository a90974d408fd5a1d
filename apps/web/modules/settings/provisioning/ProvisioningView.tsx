"use client";

import { type MyOrganizationDto, SCIM_TOKENS_PER_ORGANIZATION_MAX, type ScimTokenDto } from "@devflow/contracts";
import { errorMessage, useListScimTokensQuery, useRevokeScimTokenMutation } from "@devflow/web-data-access";
import { Alert, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useState } from "react";
import { formatDateTime, timeAgo } from "../../common/format";
import { PlusIcon } from "../../common/icons";
import { CopyValueButton } from "./CopyValueButton";
import { NewScimTokenDialog } from "./NewScimTokenDialog";
import styles from "./provisioning.module.css";

export interface ProvisioningViewProps {
  organization: MyOrganizationDto;
  /** `${PUBLIC_URL}/scim/v2`, read from the server's config. */
  scimBaseUrl: string;
}

/** SCIM provisioning: what to paste into the identity provider, and the organization's SCIM tokens. */
export function ProvisioningView({ organization, scimBaseUrl }: ProvisioningViewProps) {
  const [isCreating, setIsCreating] = useState(false);
  const [revoking, setRevoking] = useState<ScimTokenDto | null>(null);
  const { currentData, error, isFetching, refetch } = useListScimTokensQuery({ organizationId: organization.id });
  const [revokeScimToken, revocation] = useRevokeScimTokenMutation();
  const tokens = currentData?.items ?? [];
  const isAtLimit = tokens.length >= SCIM_TOKENS_PER_ORGANIZATION_MAX;

  async function revoke() {
    if (!revoking) return;
    const result = await revokeScimToken({ organizationId: organization.id, tokenId: revoking.id });
    if (!result.error) setRevoking(null);
  }

  const newTokenButton = (
    <Button
      variant="primary"
      onClick={() => setIsCreating(true)}
      disabled={isAtLimit}
      title={isAtLimit ? `Revoke a token first: at most ${SCIM_TOKENS_PER_ORGANIZATION_MAX} are active` : undefined}
      data-testid="new-scim-token"
    >
      <PlusIcon />
      New token
    </Button>
  );

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Provisioning (SCIM)</h1>
          <p className="page-subtitle">
            Let your identity provider (Okta, Microsoft Entra ID, OneLogin…) add people to {organization.name}, keep
            their names and groups up to date, and deactivate them when they leave. SCIM never creates or changes
            owners.
          </p>
        </div>
      </header>

      <section className={styles.section} aria-labelledby="scim-connect-heading">
        <h2 className={styles.sectionTitle} id="scim-connect-heading">
          Connect your identity provider
        </h2>
        <ol className={styles.steps}>
          <li>Create a SCIM token below.</li>
          <li>
            In your identity provider&apos;s SCIM settings, paste the base URL and use the token as a bearer token
            (&ldquo;API token&rdquo; in Okta, &ldquo;Secret token&rdquo; in Entra ID).
          </li>
          <li>Use the email address as the user name. Deactivated people lose access and their API tokens at once.</li>
        </ol>
        <div className={styles.valueRow}>
          <label className={styles.valueLabel} htmlFor="scim-base-url">
            SCIM base URL
          </label>
          <input
            id="scim-base-url"
            className={styles.value}
            value={scimBaseUrl}
            readOnly
            onFocus={(event) => event.currentTarget.select()}
            spellCheck={false}
            data-testid="scim-base-url"
          />
          <CopyValueButton value={scimBaseUrl} label="Copy SCIM base URL" testId="copy-scim-base-url" />
        </div>
      </section>

      <section className={styles.section} aria-labelledby="scim-tokens-heading">
        <div className={styles.sectionHeader}>
          <div>
            <h2 className={styles.sectionTitle} id="scim-tokens-heading">
              SCIM tokens
            </h2>
            <p className={styles.sectionLead}>
              Tokens belong to the organization, not to you. Up to {SCIM_TOKENS_PER_ORGANIZATION_MAX} can be active, so
              you can rotate one without downtime.
            </p>
          </div>
          {tokens.length > 0 && newTokenButton}
        </div>

        {!currentData && isFetching && (
          <div className="panel">
            <SkeletonList rows={2} label="Loading SCIM tokens" />
          </div>
        )}
        {error !== undefined && (
          <Alert
            title="Could not load SCIM tokens"
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
            testId="scim-tokens-empty"
            title="No SCIM tokens yet"
            description="Create one to let your identity provider provision people and groups."
            action={newTokenButton}
          />
        )}
        {tokens.length > 0 && (
          <div className={`panel ${styles.tableWrap}`}>
            <table className={styles.table} data-testid="scim-token-list">
              <caption className="ui-visually-hidden">SCIM tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="ui-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <ScimTokenRow key={token.id} token={token} onRevoke={() => setRevoking(token)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <NewScimTokenDialog organizationId={organization.id} isOpen={isCreating} onClose={() => setIsCreating(false)} />
      <ConfirmDialog
        isOpen={revoking !== null}
        title="Revoke this SCIM token?"
        message={
          revoking && (
            <>
              Your identity provider stops provisioning with <strong>{revoking.name}</strong> (
              {shortScimPrefix(revoking.prefix)}) at once. People already provisioned keep their access. This cannot be
              undone.
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

function ScimTokenRow({ token, onRevoke }: { token: ScimTokenDto; onRevoke: () => void }) {
  return (
    <tr data-testid="scim-token-row" data-token-id={token.id}>
      <td className={styles.name}>{token.name}</td>
      <td className={styles.prefix} title={token.prefix}>
        {shortScimPrefix(token.prefix)}
      </td>
      <td className={styles.muted} title={formatDateTime(token.createdAt)}>
        {timeAgo(token.createdAt)}
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
          data-testid="revoke-scim-token"
        >
          Revoke
        </Button>
      </td>
    </tr>
  );
}

/** `dfscim_…Ab3dEf9h`: the organization part is the same for every token, so only the end tells them apart. */
function shortScimPrefix(prefix: string): string {
  return `dfscim_…${prefix.slice(-8)}`;
}
