export { createDocumentsService } from "./documents.service";
export type { DocumentsService } from "./documents.service";
