export { createDocumentsService } from "./documents.service";
export type { DocumentSession, DocumentsService } from "./documents.service";
