import { resourceTypes } from "@devflow/domain-scim";
import { scimRoute } from "@/lib/scim-http";
import { webConfig } from "@/lib/config";

export const GET = scimRoute(async () => resourceTypes(`${webConfig().PUBLIC_URL}/scim/v2`));
