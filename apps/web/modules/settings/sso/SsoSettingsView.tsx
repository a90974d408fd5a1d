"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import { ConnectionsPanel } from "./ConnectionsPanel";
import { DomainsPanel } from "./DomainsPanel";
import { EnforcementPanel } from "./EnforcementPanel";

/** Single sign-on settings: identity providers, the email domains they cover, and enforcement. */
export function SsoSettingsView({ organization }: { organization: MyOrganizationDto }) {
  return (
    <div className="page" data-testid="sso-settings">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Single sign-on</h1>
          <p className="page-subtitle">
            Let people at {organization.name} sign in with your identity provider, and join automatically.
          </p>
        </div>
      </header>
      <ConnectionsPanel organizationId={organization.id} />
      <DomainsPanel organizationId={organization.id} />
      <EnforcementPanel organizationId={organization.id} />
    </div>
  );
}
