import { handle } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { templateId: string };

export const DELETE = handle<Params>(async (req, { params }) => {
  const ctx = await requestContext(req);
  await (await services()).templates.remove(ctx, (await params).templateId.slice(0, 100));
});
