import { fileTypeFromBuffer } from "file-type";
import { DOCX_MIME, type DocumentKind } from "./content-types";

export interface SniffedType {
  mime: string;
  kind: DocumentKind;
}

/**
 * Decides what an upload is from its bytes, never from its name or declared MIME type: a PNG named
 * `report.pdf` is a PNG, and comes back null (unsupported). Binary formats are recognised by
 * `file-type` (PDF; DOCX, which it tells apart from other zips by reading the archive's entries).
 * Anything it does not recognise is text when it is valid UTF-8 without NUL bytes (so UTF-16 is
 * refused), and then Markdown only if `declaredName` ends in `.md` or `.markdown`.
 *
 * Pass the whole file. DOCX detection walks the zip entries, and writers put `[Content_Types].xml`
 * anywhere: the `docx` library writes it last, so a 4 KiB head of its output reads as a plain zip
 * (and comes back null). A cut-off UTF-8 sequence at the very end is tolerated, for callers that
 * only have a head of a text file.
 */
export async function sniffContentType(bytes: Buffer, declaredName?: string): Promise<SniffedType | null> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (detected.mime === "application/pdf") return { mime: detected.mime, kind: "pdf" };
    if (detected.mime === DOCX_MIME) return { mime: detected.mime, kind: "docx" };
    return null;
  }
  if (!isUtf8Text(bytes)) return null;
  return /\.(md|markdown)$/i.test(declaredName ?? "")
    ? { mime: "text/markdown", kind: "markdown" }
    : { mime: "text/plain", kind: "text" };
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    // `stream: true` holds back an incomplete sequence at the end instead of failing on it.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
