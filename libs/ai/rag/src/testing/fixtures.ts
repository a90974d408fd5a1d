import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RequestContext } from "@devflow/auth";
import type { Database } from "@devflow/db";

/** The markdown fixture corpus: realistic design docs, ADRs and RFCs, keyed by file name without .md. */
export async function readCorpus(): Promise<{ name: string; title: string; content: string }[]> {
  const dir = path.join(import.meta.dirname, "..", "fixtures", "corpus");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
  return Promise.all(
    files.map(async (file) => {
      const content = await readFile(path.join(dir, file), "utf8");
      const title = /^# (.+)$/m.exec(content)?.[1] ?? file;
      return { name: file.replace(/\.md$/, ""), title, content };
    }),
  );
}

/**
 * Changes a document's text the way a committed collab batch does (new version, updated_at = now())
 * and keeps a snapshot of the new version so its text can be read back by version.
 */
export async function editDocument(
  db: Database,
  ctx: RequestContext,
  documentId: string,
  content: string,
): Promise<number> {
  return db.withTenant(ctx, async (tx) => {
    const row = await tx.document.update({
      where: { id: documentId },
      data: { content, version: { increment: 1 } },
      select: { version: true },
    });
    await tx.documentSnapshot.create({
      data: { organizationId: ctx.organizationId, documentId, version: row.version, content },
    });
    return row.version;
  });
}

/** Makes a document look untouched for `ms`, so the settle delay does not hold it back in a test. */
export async function ageDocument(db: Database, ctx: RequestContext, documentId: string, ms: number): Promise<void> {
  await db.withTenant(
    ctx,
    (tx) =>
      tx.$executeRaw`UPDATE documents SET updated_at = updated_at - make_interval(secs => ${ms / 1000}::float8)
                    WHERE id = ${documentId}::uuid`,
  );
}
