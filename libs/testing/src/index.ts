export { buildOrganization, contextFor } from "./factories";
export type { OrganizationFixture } from "./factories";
