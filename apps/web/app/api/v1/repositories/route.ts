import { ListRepositoriesQuerySchema, type Page, type RepositoryDto } from "@devflow/contracts";
import { listRepositories } from "@devflow/domain-integrations";
import { handle, readQuery } from "@/lib/http";
import { database } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The organization's repositories (any member), by full name; `projectId` keeps to one project's. */
export const GET = handle(async (req): Promise<Page<RepositoryDto>> => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListRepositoriesQuerySchema);
  return listRepositories(await database(), ctx, query);
});
