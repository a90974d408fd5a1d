"use client";

import type { SsoDomainDto, VerifySsoDomainResult } from "@devflow/contracts";
import {
  errorMessage,
  fieldIssues,
  useAddSsoDomainMutation,
  useListSsoDomainsQuery,
  useRemoveSsoDomainMutation,
  useVerifySsoDomainMutation,
} from "@devflow/web-data-access";
import { Alert, Badge, Button, ConfirmDialog, SkeletonList, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { CopyButton } from "./CopyButton";
import styles from "./sso.module.css";

/** Email domains the organization claims, each proven with a DNS TXT record. */
export function DomainsPanel({ organizationId }: { organizationId: string }) {
  const { data, error, isLoading, refetch } = useListSsoDomainsQuery({ organizationId });
  const [removing, setRemoving] = useState<SsoDomainDto | null>(null);
  const [remove, removeState] = useRemoveSsoDomainMutation();

  async function confirmRemove() {
    if (!removing) return;
    const result = await remove({ organizationId, domainId: removing.id });
    if (!("error" in result)) setRemoving(null);
  }

  return (
    <section className={styles.section} aria-labelledby="sso-domains-title" data-testid="sso-domains">
      <div className={styles.sectionHeader}>
        <div>
          <h2 className={styles.sectionTitle} id="sso-domains-title">
            Domains
          </h2>
          <p className={styles.sectionLead}>
            People with an email on a verified domain are sent to your SSO and join as members on first sign-in.
          </p>
        </div>
      </div>

      <div className="panel">
        <AddDomainForm organizationId={organizationId} />
        {isLoading && <SkeletonList rows={2} label="Loading domains" />}
        {error !== undefined && (
          <Alert
            title="Could not load domains"
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
          <p className={`${styles.row} ${styles.note}`} data-testid="sso-domains-empty">
            No domains yet. Add the domain of your work email addresses, such as example.com.
          </p>
        )}
        {data && data.length > 0 && (
          <ul className={styles.list} aria-label="Domains" data-testid="sso-domain-list">
            {data.map((domain) => (
              <DomainRow
                key={domain.id}
                organizationId={organizationId}
                domain={domain}
                onRemove={() => {
                  removeState.reset();
                  setRemoving(domain);
                }}
              />
            ))}
          </ul>
        )}
      </div>

      <ConfirmDialog
        isOpen={removing !== null}
        title={`Remove ${removing?.domain ?? "domain"}?`}
        message="People with this email domain will no longer be sent to your SSO. You can add it again, with a new record to publish."
        confirmLabel="Remove domain"
        isDestructive
        isBusy={removeState.isLoading}
        error={removeState.error === undefined ? null : errorMessage(removeState.error)}
        onConfirm={confirmRemove}
        onCancel={() => setRemoving(null)}
      />
    </section>
  );
}

function AddDomainForm({ organizationId }: { organizationId: string }) {
  const [domain, setDomain] = useState("");
  const [add, { isLoading, error }] = useAddSsoDomainMutation();
  const issue = fieldIssues(error).find((i) => i.path === "domain")?.message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await add({ organizationId, domain: domain.trim() });
    if (result.data) setDomain("");
  }

  return (
    <form className={styles.addForm} onSubmit={submit} noValidate data-testid="sso-add-domain-form">
      <TextField
        label="Add a domain"
        name="domain"
        placeholder="example.com"
        value={domain}
        autoComplete="off"
        error={issue ?? (error !== undefined ? (errorMessage(error) ?? undefined) : undefined)}
        onChange={(event) => setDomain(event.target.value)}
      />
      <Button type="submit" isLoading={isLoading} disabled={domain.trim() === ""} data-testid="sso-add-domain">
        Add domain
      </Button>
    </form>
  );
}

function DomainRow({
  organizationId,
  domain,
  onRemove,
}: {
  organizationId: string;
  domain: SsoDomainDto;
  onRemove: () => void;
}) {
  const [verify, { isLoading, error }] = useVerifySsoDomainMutation();
  const [result, setResult] = useState<VerifySsoDomainResult | null>(null);
  const isVerified = domain.status === "verified";

  async function check() {
    setResult(null);
    const answer = await verify({ organizationId, domainId: domain.id });
    if (answer.data) setResult(answer.data);
  }

  return (
    <li className={styles.row} data-testid="sso-domain-row" data-domain={domain.domain}>
      <div className={styles.rowTop}>
        <span className={styles.rowName}>{domain.domain}</span>
        <Badge tone={isVerified ? "green" : "amber"} testId="sso-domain-status">
          {isVerified ? "Verified" : "Pending"}
        </Badge>
        <div className={styles.rowActions}>
          {!isVerified && (
            <Button size="sm" variant="primary" isLoading={isLoading} onClick={check} data-testid="sso-verify-domain">
              Verify
            </Button>
          )}
          <Button size="sm" variant="danger" onClick={onRemove} data-testid="sso-remove-domain">
            Remove
          </Button>
        </div>
      </div>
      {!isVerified && (
        <>
          <p className={styles.note}>Publish this TXT record in your DNS, then choose Verify.</p>
          <div className={styles.record} data-testid="sso-domain-record">
            <span className={styles.recordLabel}>Name</span>
            <span className={styles.recordValue} data-testid="sso-domain-record-name">
              {domain.txtRecord.name}
            </span>
            <CopyButton value={domain.txtRecord.name} label={`Copy the record name for ${domain.domain}`} />
            <span className={styles.recordLabel}>Value</span>
            <span className={styles.recordValue} data-testid="sso-domain-record-value">
              {domain.txtRecord.value}
            </span>
            <CopyButton value={domain.txtRecord.value} label={`Copy the record value for ${domain.domain}`} />
          </div>
        </>
      )}
      {result && (
        <div data-testid="sso-verify-result">
          <Alert tone={result.verified ? "info" : "error"}>{result.message}</Alert>
        </div>
      )}
      {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
    </li>
  );
}
