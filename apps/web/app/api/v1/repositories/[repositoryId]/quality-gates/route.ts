import { QualityGateSettingsSchema, type QualityGateSettings } from "@devflow/contracts";
import { getQualityGates, setQualityGates } from "@devflow/domain-integrations";
import { handle, readJson, routeId } from "@/lib/http";
import { database } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { repositoryId: string };

/** The quality gates a repository's pull requests are checked against, defaults filled in (any member). */
export const GET = handle<Params>(async (req, { params }): Promise<QualityGateSettings> => {
  const repositoryId = routeId((await params).repositoryId, "Repository");
  const ctx = await requestContext(req);
  return getQualityGates(await database(), ctx, repositoryId);
});

/** Replaces a repository's quality gates (admins); a field left out takes its default. */
export const PUT = handle<Params>(async (req, { params }): Promise<QualityGateSettings> => {
  const repositoryId = routeId((await params).repositoryId, "Repository");
  const ctx = await requestContext(req);
  const input = await readJson(req, QualityGateSettingsSchema);
  return setQualityGates(await database(), ctx, repositoryId, input);
});
