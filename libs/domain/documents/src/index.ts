export { createDocumentsService } from "./documents.service";
export type { DocumentSession, DocumentsService } from "./documents.service";
export { createDocumentHistoryService, REVISIONS_PER_DOCUMENT_MAX } from "./document-history.service";
export type { DocumentHistoryOptions, DocumentHistoryService } from "./document-history.service";
export { lineDiff } from "./line-diff";
export type { LineDiff } from "./line-diff";
export { loadVisibleDocument } from "./visible-document";
export { DOCUMENT_MENTION_QUIET_MS, recordDocumentMentions } from "./document-mentions.service";
export type { RecordDocumentMentionsOptions } from "./document-mentions.service";
