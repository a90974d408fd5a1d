import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** A real PDF (pdf-lib) with one page per entry of `pages`, each holding that line of text. */
export async function buildPdf(pages: string[], { title }: { title?: string } = {}): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  if (title) pdf.setTitle(title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) pdf.addPage().drawText(text, { x: 50, y: 700, size: 14, font });
  return Buffer.from(await pdf.save());
}

/**
 * A minimal PDF whose trailer names a standard security handler (RC4, revision 2) with a user
 * password that is not empty, so a reader must ask for a password. Written by hand because
 * pdf-lib cannot encrypt; the /O and /U values are arbitrary, which is what makes the empty
 * password fail.
 */
export function buildPasswordProtectedPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${"ab".repeat(32)}> /U <${"cd".repeat(32)}> /P -4 >>`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${"01".repeat(16)}> <${"01".repeat(16)}>] >>\n`;
  pdf += `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

export type DocxBlock =
  { title: string } | { heading: string; level?: 1 | 2 | 3 } | { paragraph: string } | { bullet: string };

/** A real .docx (the `docx` library) built from blocks in order. */
export async function buildDocx(blocks: DocxBlock[]): Promise<Buffer> {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const children = blocks.map((block) => {
    if ("title" in block) return new Paragraph({ text: block.title, heading: HeadingLevel.TITLE });
    if ("heading" in block) return new Paragraph({ text: block.heading, heading: levels[block.level ?? 1] });
    if ("bullet" in block) return new Paragraph({ text: block.bullet, bullet: { level: 0 } });
    return new Paragraph({ children: [new TextRun(block.paragraph)] });
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
