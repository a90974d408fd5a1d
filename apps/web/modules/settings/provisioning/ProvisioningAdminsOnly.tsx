import { EmptyState } from "@devflow/web-ui";

/** What members and viewers see instead of the provisioning settings. */
export function ProvisioningAdminsOnly({ organizationName }: { organizationName: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Provisioning (SCIM)</h1>
        </div>
      </header>
      <EmptyState
        testId="provisioning-admins-only"
        title="Only admins can manage provisioning"
        description={`Ask an admin or owner of ${organizationName} to connect your identity provider.`}
      />
    </div>
  );
}
