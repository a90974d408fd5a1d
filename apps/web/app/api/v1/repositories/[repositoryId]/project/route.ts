import { LinkRepositoryInputSchema, type RepositoryDto } from "@devflow/contracts";
import { linkRepository } from "@devflow/domain-integrations";
import { handle, readJson, routeId } from "@/lib/http";
import { database } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { repositoryId: string };

/** Links a repository to the project whose delivery metrics it feeds (admins), or unlinks it (`projectId` null). */
export const PUT = handle<Params>(async (req, { params }): Promise<RepositoryDto> => {
  const repositoryId = routeId((await params).repositoryId, "Repository");
  const ctx = await requestContext(req);
  const input = await readJson(req, LinkRepositoryInputSchema);
  return linkRepository(await database(), ctx, repositoryId, input.projectId);
});
