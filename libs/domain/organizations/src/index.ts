export { createOrganizationsService } from "./organizations.service";
export type { OrganizationsService } from "./organizations.service";
