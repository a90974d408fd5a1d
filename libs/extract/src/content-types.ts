/** The document formats DevFlow can turn into text. */
export type DocumentKind = "pdf" | "docx" | "markdown" | "text";

export interface ExtractableType {
  kind: DocumentKind;
  /** The MIME type `sniffContentType` reports and the blob is stored with. */
  mime: string;
  /** File-name endings a picker may offer; never trusted for the type itself. */
  extensions: readonly string[];
}

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Everything `sniffContentType` accepts, for `accept=` attributes and error messages. */
export const EXTRACTABLE_TYPES: readonly ExtractableType[] = [
  { kind: "pdf", mime: "application/pdf", extensions: [".pdf"] },
  { kind: "docx", mime: DOCX_MIME, extensions: [".docx"] },
  { kind: "markdown", mime: "text/markdown", extensions: [".md", ".markdown"] },
  { kind: "text", mime: "text/plain", extensions: [".txt"] },
];

/**
 * A suggested upload limit: 25 MiB holds a few hundred pages of PDF with images, and bounds what an
 * upload keeps in memory while it is sniffed, scanned and extracted. clamd refuses streams longer
 * than its `StreamMaxLength`, so keep that at least this large. If the web form needs the limit too,
 * move it into a `contracts` schema so client and server agree.
 */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
