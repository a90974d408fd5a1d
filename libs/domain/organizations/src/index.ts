export { createOrganizationsService } from "./organizations.service";
export type { OrganizationsService } from "./organizations.service";
export { createMembersService } from "./members.service";
export type { MembersService } from "./members.service";
export { createInvitationsService } from "./invitations.service";
export type { InvitationsService, InvitationsServiceOptions } from "./invitations.service";
