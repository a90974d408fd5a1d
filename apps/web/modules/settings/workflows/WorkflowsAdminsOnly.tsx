import { EmptyState } from "@devflow/web-ui";

/** What members and viewers see instead of the workflow runs. */
export function WorkflowsAdminsOnly({ organizationName }: { organizationName: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Workflows</h1>
        </div>
      </header>
      <EmptyState
        testId="workflows-admins-only"
        title="Only admins can see workflow runs"
        description={`Ask an admin or owner of ${organizationName} if a background workflow needs attention.`}
      />
    </div>
  );
}
