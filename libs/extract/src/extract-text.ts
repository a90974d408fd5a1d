import { AppError } from "@devflow/util-core";
import mammoth from "mammoth";
import { extractText as extractPdfPages, getDocumentProxy, getMeta } from "unpdf";
import type { DocumentKind } from "./content-types";

export interface ExtractedText {
  /**
   * The document's text. Paragraphs are separated by blank lines; DOCX headings come out as
   * Markdown `#` lines and list items as `- `/`1. ` lines, so the RAG chunker can split on them.
   */
  text: string;
  /** PDF only: the page count. */
  pages?: number;
  /** The document's own title, when it has one: PDF metadata, a DOCX "Title" paragraph, a leading Markdown `# `. */
  title?: string;
}

export type UnreadableReason = "corrupt" | "encrypted";

/** The file is of a supported type but cannot be read; `message` is fit to show the uploader. */
export class UnreadableDocumentError extends AppError {
  constructor(
    readonly kind: DocumentKind,
    readonly reason: UnreadableReason,
    message: string,
    cause?: unknown,
  ) {
    super("validation_failed", message, { cause, report: false, retryable: false, details: { kind, reason } });
    this.name = "UnreadableDocumentError";
  }
}

/**
 * Turns a document into text for search and the assistant. `kind` comes from `sniffContentType`,
 * never from the file name. Markdown and plain text must be UTF-8 (a BOM is dropped, CRLF becomes
 * LF); PDFs are read with unpdf (PDF.js, eval disabled), DOCX with mammoth. Throws
 * `UnreadableDocumentError` for damaged, truncated or password-protected files.
 */
export async function extractText(bytes: Buffer, kind: DocumentKind): Promise<ExtractedText> {
  switch (kind) {
    case "markdown":
    case "text":
      return extractPlainText(bytes, kind);
    case "pdf":
      return extractPdf(bytes);
    case "docx":
      return extractDocx(bytes);
  }
}

function extractPlainText(bytes: Buffer, kind: "markdown" | "text"): ExtractedText {
  let text: string;
  try {
    // TextDecoder drops a leading BOM by default (ignoreBOM: false).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/\r\n?/g, "\n");
  } catch (error) {
    throw new UnreadableDocumentError(
      kind,
      "corrupt",
      "This file is not valid UTF-8 text. Save it as UTF-8 and upload it again.",
      error,
    );
  }
  if (kind === "text") return { text };
  const firstLine = text.split("\n").find((line) => line.trim() !== "") ?? "";
  const title = /^#[ \t]+(.+?)[ \t#]*$/.exec(firstLine.trim())?.[1];
  return title ? { text, title } : { text };
}

async function extractPdf(bytes: Buffer): Promise<ExtractedText> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: PDF.js may take ownership of (detach) the array it is given. verbosity 0: errors only.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    throw unreadablePdf(error);
  }
  try {
    const { totalPages, text } = await extractPdfPages(pdf, { mergePages: false });
    const { info } = await getMeta(pdf);
    const title = typeof info?.Title === "string" ? info.Title.trim() : "";
    return {
      text: text.map((page) => page.trim()).join("\n\n"),
      pages: totalPages,
      ...(title ? { title } : {}),
    };
  } catch (error) {
    throw unreadablePdf(error);
  } finally {
    await pdf.destroy();
  }
}

function unreadablePdf(error: unknown): UnreadableDocumentError {
  // PDF.js's own exception names (PasswordException, InvalidPDFException, FormatError…).
  if ((error as { name?: unknown } | undefined)?.name === "PasswordException") {
    return new UnreadableDocumentError(
      "pdf",
      "encrypted",
      "This PDF is password-protected. Remove the password and upload it again.",
      error,
    );
  }
  return new UnreadableDocumentError(
    "pdf",
    "corrupt",
    "This PDF could not be read: it may be damaged or incomplete. Export it again and re-upload it.",
    error,
  );
}

/** The OLE2 compound-file signature: a password-protected .docx (or an old .doc) is one of these, not a zip. */
const COMPOUND_FILE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function extractDocx(bytes: Buffer): Promise<ExtractedText> {
  if (bytes.subarray(0, 8).equals(COMPOUND_FILE_SIGNATURE)) {
    throw new UnreadableDocumentError(
      "docx",
      "encrypted",
      "This Word file is password-protected or in the old .doc format. Save it as .docx without a password and upload it again.",
    );
  }
  let extracted: { text: string; title?: string } | undefined;
  try {
    // transformDocument is mammoth's documented hook onto its document tree; it is used here to read
    // the tree (headings, lists) rather than change it. The HTML mammoth then renders is discarded.
    await mammoth.convertToHtml(
      { buffer: bytes },
      {
        transformDocument: (document: DocxElement) => {
          extracted = docxToText(document);
          return document;
        },
      },
    );
  } catch (error) {
    throw new UnreadableDocumentError(
      "docx",
      "corrupt",
      "This Word document could not be read: it may be damaged or incomplete. Save it again as .docx and re-upload it.",
      error,
    );
  }
  return extracted!.title ? extracted! : { text: extracted!.text };
}

/** The slice of mammoth's document model (lib/documents.js, pinned at 1.13.0) this file reads. */
interface DocxElement {
  type: string;
  children?: DocxElement[];
  value?: string;
  styleId?: string | null;
  styleName?: string | null;
  numbering?: { level?: string | number; isOrdered?: boolean } | null;
  breakType?: string;
}

/** mammoth's raw-text walk (text, tabs, blank line after each paragraph) plus heading and list markers. */
function docxToText(document: DocxElement): { text: string; title?: string } {
  let title: string | undefined;
  const walk = (element: DocxElement): string => {
    if (element.type === "text") return element.value ?? "";
    if (element.type === "tab") return "\t";
    if (element.type === "break") return element.breakType === "line" ? "\n" : "";
    const inner = (element.children ?? []).map(walk).join("");
    if (element.type !== "paragraph") return inner;
    if (!inner.trim()) return "";
    const level = headingLevel(element);
    if (level === 0) title ??= inner.trim();
    return `${paragraphPrefix(element, level)}${inner}\n\n`;
  };
  const text = walk(document).trimEnd();
  return title ? { text, title } : { text };
}

/** 0 for the "Title" style, 1-6 for "Heading N", null for any other paragraph. */
function headingLevel(paragraph: DocxElement): number | null {
  if (paragraph.styleName === "Title" || paragraph.styleId === "Title") return 0;
  const match = /^heading ?([1-6])$/i.exec(paragraph.styleName ?? paragraph.styleId ?? "");
  return match ? Number(match[1]) : null;
}

function paragraphPrefix(paragraph: DocxElement, level: number | null): string {
  if (level !== null) return `${"#".repeat(Math.max(level, 1))} `;
  if (!paragraph.numbering) return "";
  const indent = "  ".repeat(Number(paragraph.numbering.level ?? 0) || 0);
  return `${indent}${paragraph.numbering.isOrdered ? "1." : "-"} `;
}
