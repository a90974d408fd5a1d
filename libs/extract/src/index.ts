export { DOCX_MIME, EXTRACTABLE_TYPES, MAX_DOCUMENT_BYTES } from "./content-types";
export type { DocumentKind, ExtractableType } from "./content-types";
export { extractText, UnreadableDocumentError } from "./extract-text";
export type { ExtractedText, UnreadableReason } from "./extract-text";
export { sniffContentType } from "./sniff-content-type";
export type { SniffedType } from "./sniff-content-type";
export {
  createVirusScanner,
  createVirusScannerFromConfig,
  VirusScanError,
  VirusScannerConfigSchema,
} from "./virus-scanner";
export type { VirusScanner, VirusScannerOptions, VirusScanResult } from "./virus-scanner";
