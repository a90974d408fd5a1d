import { AttributeIncidentInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { doraService } from "@/modules/delivery/dora-services";

type Params = { incidentId: string };

/** An admin's correction of the deployment an incident is attributed to (`deploymentId`, or null for none). */
export const PUT = handle<Params>(async (req, { params }) => {
  const incidentId = routeId((await params).incidentId, "Incident");
  const ctx = await requestContext(req);
  const input = await readJson(req, AttributeIncidentInputSchema);
  return (await doraService()).attributeIncident(ctx, incidentId, input.deploymentId);
});
