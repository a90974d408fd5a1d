import type { FileKind } from "@devflow/contracts";
import { DOCX_MIME, sniffContentType } from "@devflow/extract";

/** How much of an upload is read before deciding whether to take the rest. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The type of an upload from its first bytes, before the rest is read: a PNG named `.pdf` is
 * refused at once. A Word file is a zip whose identifying entry may come last, so a head that is
 * a zip is taken as a Word file provisionally; the processor sniffs the whole file again and
 * fails the upload, saying why, if it is not one.
 */
export async function sniffUpload(head: Buffer, name: string): Promise<{ mime: string; kind: FileKind } | null> {
  const sniffed = await sniffContentType(head, name);
  if (sniffed) return sniffed;
  if (head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return { mime: DOCX_MIME, kind: "docx" };
  return null;
}
