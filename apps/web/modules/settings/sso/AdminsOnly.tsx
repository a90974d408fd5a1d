import { EmptyState } from "@devflow/web-ui";

/** What members and viewers see instead of the SSO settings. */
export function AdminsOnly({ organizationName }: { organizationName: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Single sign-on</h1>
        </div>
      </header>
      <EmptyState
        testId="sso-admins-only"
        title="Only admins can manage single sign-on"
        description={`Ask an admin or owner of ${organizationName} to change how people sign in.`}
      />
    </div>
  );
}
