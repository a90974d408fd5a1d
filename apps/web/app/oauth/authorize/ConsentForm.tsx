"use client";

import type { MemberRole, OAuthScope } from "@devflow/contracts";
import { Alert, Button } from "@devflow/web-ui";
import { useState } from "react";
import styles from "./consent.module.css";

export interface ConsentOrganization {
  id: string;
  name: string;
  role: MemberRole;
  /** What the person's role there lets an app have. */
  allowedScopes: OAuthScope[];
  /** Why this session cannot grant access there (SSO), or null. */
  unavailableReason: string | null;
}

export interface ConsentFormProps {
  client: { id: string; name: string; clientUri: string | null };
  redirectHost: string;
  requestedScopes: OAuthScope[];
  organizations: ConsentOrganization[];
  defaultOrganizationId: string | null;
  signedInAs: string;
  /** The authorization request, posted back with the answer and checked again there. */
  hiddenFields: { name: string; value: string }[];
  error: string | null;
}

const SCOPE_TEXT: Record<OAuthScope, { label: string; description: string }> = {
  read: { label: "Read", description: "See projects, documents, comments and search results you can see." },
  write: { label: "Write", description: "Create and edit projects and documents as you." },
};

/**
 * The consent screen: which organization, which scopes, Approve or Deny. A plain form post, so the
 * browser follows the answer's redirect to the app. The page never trusts it: the server checks the
 * request, the organization and the scopes again.
 */
export function ConsentForm(props: ConsentFormProps) {
  const { client, redirectHost, requestedScopes, organizations, signedInAs, hiddenFields, error } = props;
  const usable = organizations.filter((o) => o.unavailableReason === null);
  const initial = usable.find((o) => o.id === props.defaultOrganizationId) ?? usable[0] ?? null;
  const [organizationId, setOrganizationId] = useState(initial?.id ?? "");
  const organization = organizations.find((o) => o.id === organizationId) ?? null;
  const canWrite = requestedScopes.includes("write") && !!organization?.allowedScopes.includes("write");
  const [wantsWrite, setWantsWrite] = useState(true);

  return (
    <form method="post" action="/oauth/authorize/decision" className={styles.form} data-testid="consent-form">
      {hiddenFields.map((field) => (
        <input key={field.name} type="hidden" name={field.name} value={field.value} />
      ))}
      <div>
        <h1 className="auth-card__title">
          Allow <span data-testid="consent-client-name">{client.name}</span> to use DevFlow as you?
        </h1>
        <p className="auth-card__lead">
          It will act as <strong>{signedInAs}</strong>, never with more access than your role. It sends you back to{" "}
          <strong data-testid="consent-redirect-host">{redirectHost}</strong>.
        </p>
      </div>
      <p className={styles.warning}>
        DevFlow has not checked who made this app; the name is the app&apos;s own. Approve only if you just asked it to
        connect.
        {client.clientUri && (
          <>
            {" "}
            It says it comes from <span className={styles.mono}>{client.clientUri}</span>.
          </>
        )}
      </p>
      {error && <Alert>{error}</Alert>}

      {organizations.length === 0 ? (
        <Alert tone="info">You are not a member of any organization yet, so there is nothing to share.</Alert>
      ) : (
        <label className={styles.field}>
          <span className={styles.legend}>Organization</span>
          <select
            name="organization_id"
            value={organizationId}
            onChange={(e) => setOrganizationId(e.target.value)}
            data-testid="consent-organization"
            disabled={organizations.length === 1 && usable.length === 1}
          >
            {organizations.map((o) => (
              <option key={o.id} value={o.id} disabled={o.unavailableReason !== null}>
                {o.name}
                {o.unavailableReason ? ` (${o.unavailableReason})` : ""}
              </option>
            ))}
          </select>
          {organizations.length === 1 && usable.length === 1 && (
            <input type="hidden" name="organization_id" value={organizationId} />
          )}
        </label>
      )}

      <fieldset className={styles.scopes}>
        <legend className={styles.legend}>It may</legend>
        <label className={styles.scope}>
          <input type="checkbox" checked disabled data-testid="consent-scope-read" />
          <input type="hidden" name="scopes" value="read" />
          <span>
            <strong>{SCOPE_TEXT.read.label}</strong>
            <span className={styles.scopeDescription}>{SCOPE_TEXT.read.description}</span>
          </span>
        </label>
        {requestedScopes.includes("write") && (
          <label className={styles.scope} aria-disabled={!canWrite}>
            <input
              type="checkbox"
              name="scopes"
              value="write"
              checked={canWrite && wantsWrite}
              disabled={!canWrite}
              onChange={(e) => setWantsWrite(e.target.checked)}
              data-testid="consent-scope-write"
            />
            <span>
              <strong>{SCOPE_TEXT.write.label}</strong>
              <span className={styles.scopeDescription}>
                {canWrite
                  ? SCOPE_TEXT.write.description
                  : `Not available: a ${organization?.role ?? "viewer"} can only read.`}
              </span>
            </span>
          </label>
        )}
      </fieldset>

      <div className={styles.actions}>
        <Button type="submit" name="decision" value="deny" data-testid="consent-deny">
          Deny
        </Button>
        <Button
          type="submit"
          name="decision"
          value="approve"
          variant="primary"
          disabled={!organization || organization.unavailableReason !== null}
          data-testid="consent-approve"
        >
          Approve
        </Button>
      </div>
      <p className="fine-print">You can disconnect the app at any time under Settings → Connected apps.</p>
    </form>
  );
}
