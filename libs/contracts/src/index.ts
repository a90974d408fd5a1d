export { ERROR_CODES, ErrorCodeSchema, ErrorEnvelopeSchema, HTTP_STATUS } from "./errors";
export type { ErrorCode, ErrorEnvelope } from "./errors";
export { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PageQuerySchema, pageOf } from "./pagination";
export type { Page, PageQuery } from "./pagination";
export {
  CreateOrganizationInputSchema,
  MEMBER_ROLES,
  MemberRoleSchema,
  MemberSchema,
  MyOrganizationSchema,
  ORGANIZATION_NAME_MAX,
  OrganizationSchema,
  UserSchema,
} from "./organizations";
export type { CreateOrganizationInput, MemberDto, MemberRole, MyOrganizationDto, OrganizationDto, UserDto } from "./organizations";
export {
  CreateProjectInputSchema,
  ListProjectsQuerySchema,
  PROJECT_DESCRIPTION_MAX,
  PROJECT_NAME_MAX,
  ProjectKeySchema,
  ProjectSchema,
  ProjectVisibilitySchema,
  UpdateProjectInputSchema,
} from "./projects";
export type { CreateProjectInput, ListProjectsQuery, ProjectDto, ProjectVisibility, UpdateProjectInput } from "./projects";
export {
  CreateDocumentInputSchema,
  DOCUMENT_CONTENT_MAX,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_TITLE_MAX,
  DocumentKindSchema,
  DocumentSchema,
  DocumentStatusSchema,
  DocumentSummarySchema,
  ListDocumentsQuerySchema,
  UpdateDocumentInputSchema,
} from "./documents";
export type {
  CreateDocumentInput,
  DocumentDto,
  DocumentKind,
  DocumentStatus,
  DocumentSummaryDto,
  ListDocumentsQuery,
  UpdateDocumentInput,
} from "./documents";
export { DevSignInInputSchema, SessionSchema, SwitchOrganizationInputSchema } from "./session";
export type { DevSignInInput, SessionDto, SwitchOrganizationInput } from "./session";
export { HealthCheckSchema, HealthReportSchema } from "./health";
export type { HealthReport } from "./health";
