import { EmptyState } from "@devflow/web-ui";

/** What members and viewers see instead of the audit log. */
export function AuditAdminsOnly({ organizationName }: { organizationName: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Audit log</h1>
        </div>
      </header>
      <EmptyState
        testId="audit-admins-only"
        title="Only admins can see the audit log"
        description={`Ask an admin or owner of ${organizationName} if you need to know who changed what.`}
      />
    </div>
  );
}
