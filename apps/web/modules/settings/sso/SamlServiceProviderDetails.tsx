"use client";

import { useSyncExternalStore } from "react";
import { samlServiceProvider } from "@/lib/auth/saml-paths";
import { CopyButton } from "./CopyButton";
import styles from "./sso.module.css";

const noSubscription = () => () => {};

/**
 * What an admin enters in their IdP for DevFlow: the ACS URL and the SP entity ID (audience). Both
 * derive from the address DevFlow is served at, which is the one this page was loaded from.
 */
export function SamlServiceProviderDetails() {
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => null,
  );
  if (!origin) return null;
  const { acsUrl, entityId } = samlServiceProvider(origin);
  return (
    <div className="form-stack" data-testid="saml-sp-details">
      <p className={styles.note}>In your identity provider, create a SAML app with these values:</p>
      <div className={styles.record}>
        <span className={styles.recordLabel}>ACS URL</span>
        <span className={styles.recordValue} data-testid="saml-acs-url">
          {acsUrl}
        </span>
        <CopyButton value={acsUrl} label="Copy the ACS URL" />
        <span className={styles.recordLabel}>Entity ID</span>
        <span className={styles.recordValue} data-testid="saml-sp-entity-id">
          {entityId}
        </span>
        <CopyButton value={entityId} label="Copy the SP entity ID" />
      </div>
      <p className={styles.note}>
        Send the email address as an attribute named <code>email</code> (or as the NameID), the name as{" "}
        <code>name</code> or <code>firstName</code>/<code>lastName</code>, and groups as <code>groups</code> for the
        role mappings below.
      </p>
    </div>
  );
}
