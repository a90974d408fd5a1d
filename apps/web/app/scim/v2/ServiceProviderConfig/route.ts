import { serviceProviderConfig } from "@devflow/domain-scim";
import { scimRoute } from "@/lib/scim-http";
import { webConfig } from "@/lib/config";

export const GET = scimRoute(async () => serviceProviderConfig(`${webConfig().PUBLIC_URL}/scim/v2`));
