"use client";

import type { SsoConnectionDto } from "@devflow/contracts";
import {
  errorMessage,
  useDeleteSsoConnectionMutation,
  useListSsoConnectionsQuery,
  useUpdateSsoConnectionMutation,
} from "@devflow/web-data-access";
import { Alert, Badge, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useState } from "react";
import { PlusIcon } from "../../common/icons";
import { ConnectionDialog } from "./ConnectionDialog";
import styles from "./sso.module.css";

/** The organization's identity providers, with add, edit, enable/disable, delete and a test sign-in. */
export function ConnectionsPanel({ organizationId }: { organizationId: string }) {
  const { data, error, isLoading, refetch } = useListSsoConnectionsQuery({ organizationId });
  const [editing, setEditing] = useState<SsoConnectionDto | "new" | null>(null);
  const [deleting, setDeleting] = useState<SsoConnectionDto | null>(null);
  const [remove, removeState] = useDeleteSsoConnectionMutation();

  async function confirmDelete() {
    if (!deleting) return;
    const result = await remove({ organizationId, connectionId: deleting.id });
    if (!("error" in result)) setDeleting(null);
  }

  return (
    <section className={styles.section} aria-labelledby="sso-connections-title" data-testid="sso-connections">
      <div className={styles.sectionHeader}>
        <div>
          <h2 className={styles.sectionTitle} id="sso-connections-title">
            Connections
          </h2>
          <p className={styles.sectionLead}>The identity providers your people sign in with.</p>
        </div>
        {data && data.length > 0 && (
          <Button onClick={() => setEditing("new")} data-testid="sso-add-connection">
            <PlusIcon />
            Add connection
          </Button>
        )}
      </div>

      {isLoading && (
        <div className="panel">
          <SkeletonList rows={2} label="Loading SSO connections" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load SSO connections"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {data && data.length === 0 && (
        <EmptyState
          testId="sso-connections-empty"
          title="No SSO connection yet"
          description="Connect Okta, Entra ID, Google Workspace or any OpenID Connect provider."
          action={
            <Button variant="primary" onClick={() => setEditing("new")} data-testid="sso-add-connection">
              Add a connection
            </Button>
          }
        />
      )}
      {data && data.length > 0 && (
        <ul className={`panel ${styles.list}`} aria-label="SSO connections" data-testid="sso-connection-list">
          {data.map((connection) => (
            <ConnectionRow
              key={connection.id}
              organizationId={organizationId}
              connection={connection}
              onEdit={() => setEditing(connection)}
              onDelete={() => {
                removeState.reset();
                setDeleting(connection);
              }}
            />
          ))}
        </ul>
      )}

      <ConnectionDialog
        organizationId={organizationId}
        connection={editing === "new" || editing === null ? undefined : editing}
        isOpen={editing !== null}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        isOpen={deleting !== null}
        title={`Delete ${deleting?.name ?? "connection"}?`}
        message="People who sign in through it will need another way in. Members keep their memberships."
        confirmLabel="Delete connection"
        isDestructive
        isBusy={removeState.isLoading}
        error={removeState.error === undefined ? null : errorMessage(removeState.error)}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}

function ConnectionRow({
  organizationId,
  connection,
  onEdit,
  onDelete,
}: {
  organizationId: string;
  connection: SsoConnectionDto;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const [update, { isLoading, error }] = useUpdateSsoConnectionMutation();
  const mappingCount = Object.keys(connection.groupRoleMap).length;
  const detail =
    connection.protocol === "oidc"
      ? `${connection.config.issuer} · client ${connection.config.clientId}`
      : `Entity ${connection.config.entityId}`;

  return (
    <li className={styles.row} data-testid="sso-connection-row" data-connection-id={connection.id}>
      <div className={styles.rowTop}>
        <span className={styles.rowName}>{connection.name}</span>
        <Badge tone={connection.protocol === "oidc" ? "blue" : "violet"}>
          {connection.protocol === "oidc" ? "OIDC" : "SAML"}
        </Badge>
        <Badge tone={connection.enabled ? "green" : "neutral"} testId="sso-connection-status">
          {connection.enabled ? "Enabled" : "Disabled"}
        </Badge>
        <div className={styles.rowActions}>
          {connection.enabled && (
            <a
              className="ui-button ui-button--ghost ui-button--sm"
              href={`/sign-in?connection=${encodeURIComponent(connection.id)}`}
              data-testid="sso-test-sign-in"
            >
              Test sign-in
            </a>
          )}
          <Button size="sm" onClick={onEdit} data-testid="sso-edit-connection">
            Edit
          </Button>
          <Button
            size="sm"
            isLoading={isLoading}
            onClick={() =>
              update({
                organizationId,
                connectionId: connection.id,
                input: { protocol: connection.protocol, enabled: !connection.enabled },
              })
            }
            data-testid="sso-toggle-connection"
          >
            {connection.enabled ? "Disable" : "Enable"}
          </Button>
          <Button size="sm" variant="danger" onClick={onDelete} data-testid="sso-delete-connection">
            Delete
          </Button>
        </div>
      </div>
      <div className={styles.rowMeta}>{detail}</div>
      <div className={styles.rowMeta}>
        New members join as {connection.defaultRole}
        {mappingCount > 0 && ` · ${mappingCount} group mapping${mappingCount === 1 ? "" : "s"}`}
      </div>
      {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
    </li>
  );
}
