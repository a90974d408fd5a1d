import { CreateTemplateInputSchema } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The built-in templates and the organization's saved ones. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return { items: await (await services()).templates.list(ctx) };
});

export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateTemplateInputSchema);
  return created(await (await services()).templates.create(ctx, input));
});
