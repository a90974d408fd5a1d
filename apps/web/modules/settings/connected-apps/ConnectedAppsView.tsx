"use client";

import type { ConnectedAppDto, MyOrganizationDto } from "@devflow/contracts";
import { Badge, Button, ConfirmDialog, EmptyState } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime, timeAgo } from "../../common/format";
import { orgRequest } from "../../common/org-request";
import styles from "../tokens/tokens.module.css";

export interface ConnectedAppsViewProps {
  organization: MyOrganizationDto;
  /** Loaded by the page on the server; refreshed with router.refresh() after a revoke. */
  apps: ConnectedAppDto[];
}

/** The apps (MCP clients and other OAuth clients) the person has let act for them here, with revoke. */
export function ConnectedAppsView({ organization, apps }: ConnectedAppsViewProps) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<ConnectedAppDto | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!revoking) return;
    setIsBusy(true);
    setError(null);
    const result = await orgRequest(organization.id, "DELETE", `/api/oauth/grants/${revoking.id}`, {
      fallback: "Could not disconnect the app",
    });
    setIsBusy(false);
    if (!result.ok) return setError(result.message);
    setRevoking(null);
    router.refresh();
  }

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Connected apps</h1>
          <p className="page-subtitle">
            Apps such as AI assistants you let use {organization.name} as you. They never do more than your role allows,
            and stop working the moment you disconnect them.
          </p>
        </div>
      </header>

      {apps.length === 0 ? (
        <EmptyState
          testId="connected-apps-empty"
          title="No connected apps"
          description="When you approve an app (for example an MCP client such as Claude or an IDE), it appears here."
        />
      ) : (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="connected-app-list">
            <caption className="ui-visually-hidden">Your connected apps</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Access</th>
                <th scope="col">Connected</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="ui-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.map((app) => (
                <tr key={app.id} data-testid="connected-app-row" data-grant-id={app.id}>
                  <td>
                    <div className={styles.name}>{app.clientName}</div>
                    <div className={styles.muted}>Sends you back to {app.redirectHosts.join(", ")}</div>
                  </td>
                  <td>
                    <Badge tone={app.scopes.includes("write") ? "violet" : "neutral"}>
                      {app.scopes.includes("write") ? "Read and write" : "Read only"}
                    </Badge>
                  </td>
                  <td className={styles.muted} title={formatDateTime(app.createdAt)}>
                    {timeAgo(app.createdAt)}
                  </td>
                  <td className={styles.muted}>
                    {app.lastUsedAt ? (
                      <span title={formatDateTime(app.lastUsedAt)}>{timeAgo(app.lastUsedAt)}</span>
                    ) : (
                      "Never"
                    )}
                  </td>
                  <td className={styles.actions}>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setRevoking(app)}
                      aria-label={`Disconnect ${app.clientName}`}
                      data-testid="disconnect-app"
                    >
                      Disconnect
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        isOpen={revoking !== null}
        title="Disconnect this app?"
        message={
          revoking && (
            <>
              <strong>{revoking.clientName}</strong> loses access to {organization.name} at once. To use it again you
              will have to approve it again.
            </>
          )
        }
        confirmLabel="Disconnect"
        isDestructive
        isBusy={isBusy}
        error={error}
        onConfirm={revoke}
        onCancel={() => {
          setError(null);
          setRevoking(null);
        }}
      />
    </div>
  );
}
