import { CreateDocumentInputSchema, ListDocumentsQuerySchema } from "@devflow/contracts";
import { created, handle, readJson, readQuery, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { projectId: string };

export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  const query = readQuery(req, ListDocumentsQuerySchema);
  return (await services()).documents.list(ctx, projectId, query);
});

export const POST = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateDocumentInputSchema);
  const s = await services();
  const fromTemplate = input.templateId ? await s.templates.render(ctx, input.templateId, { title: input.title }) : {};
  return created(await s.documents.create(ctx, projectId, { ...input, ...fromTemplate }));
});
