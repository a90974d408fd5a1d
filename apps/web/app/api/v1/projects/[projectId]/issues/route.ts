import { ListProjectIssuesQuerySchema } from "@devflow/contracts";
import { handle, readQuery, routeId } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { projectIssuesService } from "@/modules/issues/issue-services";

type Params = { projectId: string };

/** The GitHub issues of the project's linked repositories with their stored triage, newest opened first. */
export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  return (await projectIssuesService()).list(ctx, projectId, readQuery(req, ListProjectIssuesQuerySchema));
});
