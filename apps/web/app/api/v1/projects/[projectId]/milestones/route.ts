import { handle, routeId } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { releaseReadinessService } from "@/modules/releases/release-services";

type Params = { projectId: string };

/** The milestones of the project's linked repositories' pull requests and issues, newest due first. */
export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  return (await releaseReadinessService()).milestones(ctx, projectId);
});
