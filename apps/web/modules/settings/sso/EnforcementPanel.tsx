"use client";

import {
  errorMessage,
  useGetSsoEnforcementQuery,
  useListSsoConnectionsQuery,
  useListSsoDomainsQuery,
  useSetSsoEnforcementMutation,
} from "@devflow/web-data-access";
import { Alert, Button, Skeleton, Spinner } from "@devflow/web-ui";
import { useId } from "react";
import styles from "./sso.module.css";

/** "Enforce SSO": people on verified domains may then sign in only through the organization's SSO. */
export function EnforcementPanel({ organizationId }: { organizationId: string }) {
  const { data, error: loadError, refetch } = useGetSsoEnforcementQuery({ organizationId });
  const { data: connections } = useListSsoConnectionsQuery({ organizationId });
  const { data: domains } = useListSsoDomainsQuery({ organizationId });
  const [setEnforced, { isLoading, error, reset }] = useSetSsoEnforcementMutation();
  const checkboxId = useId();
  const hasConnection = connections?.some((c) => c.enabled) ?? false;
  const hasDomain = domains?.some((d) => d.status === "verified") ?? false;
  const missing = [!hasConnection && "an enabled connection", !hasDomain && "a verified domain"].filter(Boolean);

  return (
    <section className={styles.section} aria-labelledby="sso-enforcement-title" data-testid="sso-enforcement">
      <div>
        <h2 className={styles.sectionTitle} id="sso-enforcement-title">
          Enforcement
        </h2>
      </div>
      <div className="panel">
        {!data && !loadError && <Skeleton height={56} />}
        {loadError !== undefined && (
          <Alert
            title="Could not load the enforcement setting"
            action={
              <Button size="sm" onClick={() => refetch()}>
                Try again
              </Button>
            }
          >
            {errorMessage(loadError)}
          </Alert>
        )}
        {data && (
          <div className={styles.toggle}>
            <input
              id={checkboxId}
              type="checkbox"
              checked={data.enforced}
              disabled={isLoading}
              aria-describedby={`${checkboxId}-help`}
              data-testid="sso-enforce-toggle"
              onChange={(event) => {
                reset();
                void setEnforced({ organizationId, enforced: event.target.checked });
              }}
            />
            <div>
              <label htmlFor={checkboxId} className={styles.rowName}>
                Enforce SSO {isLoading && <Spinner size={12} />}
              </label>
              <p id={`${checkboxId}-help`} className={styles.note}>
                When on, anyone whose email is on a verified domain must sign in through your SSO: email links, GitHub
                and other ways in are refused for them. Guests with other email domains are not affected.
                {!data.enforced && missing.length > 0 && ` Needs ${missing.join(" and ")} first.`}
              </p>
            </div>
          </div>
        )}
        {error !== undefined && (
          <div data-testid="sso-enforce-error">
            <Alert>{errorMessage(error)}</Alert>
          </div>
        )}
      </div>
    </section>
  );
}
