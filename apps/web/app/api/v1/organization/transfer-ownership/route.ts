import { TransferOwnershipInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** Makes another member the owner; the caller stays on as an admin. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const { userId } = await readJson(req, TransferOwnershipInputSchema);
  await (await services()).members.transferOwnership(ctx, userId);
});
