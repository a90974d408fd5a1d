import type { Tx } from "@devflow/db";
import type { FileKind, FileStage } from "@devflow/contracts";

const fileColumns = {
  id: true,
  organizationId: true,
  projectId: true,
  uploadedById: true,
  name: true,
  kind: true,
  contentType: true,
  sizeBytes: true,
  storageKey: true,
  status: true,
  stage: true,
  progress: true,
  error: true,
  errorCode: true,
  pageCount: true,
  chunkCount: true,
  archivedAt: true,
  createdAt: true,
  processedAt: true,
} as const;

export type FileRow = Awaited<ReturnType<typeof findFile>> & {};

export async function findFile(tx: Tx, fileId: string) {
  return tx.file.findUnique({ where: { id: fileId }, select: fileColumns });
}

export interface NewFile {
  id: string;
  organizationId: string;
  projectId: string;
  uploadedById: string | null;
  name: string;
  kind: FileKind;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
}

export async function insertFile(tx: Tx, file: NewFile) {
  return tx.file.create({ data: { ...file, sizeBytes: BigInt(file.sizeBytes) }, select: fileColumns });
}

/** Live files of a project, newest first, keyset-paginated by (createdAt, id); one extra row tells if more follow. */
export async function listFiles(
  tx: Tx,
  projectId: string,
  limit: number,
  after?: { createdAt: Date; id: string },
) {
  return tx.file.findMany({
    where: {
      projectId,
      archivedAt: null,
      ...(after && {
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: fileColumns,
  });
}

export async function archiveFile(tx: Tx, fileId: string) {
  await tx.file.update({ where: { id: fileId }, data: { archivedAt: new Date() } });
  // Archived files are not searchable: their passages go with them.
  await tx.$executeRawUnsafe(`DELETE FROM text_chunks WHERE source_type = 'file' AND source_id = $1::uuid`, fileId);
}

export async function findUserNames(tx: Tx, userIds: readonly string[]) {
  if (userIds.length === 0) return new Map<string, string>();
  const rows = await tx.membership.findMany({
    where: { userId: { in: [...userIds] } },
    select: { user: { select: { id: true, name: true } } },
  });
  return new Map(rows.map((row) => [row.user.id, row.user.name]));
}

export type ProcessingUpdate =
  | { status: "processing"; stage: FileStage; progress: number }
  | { status: "failed"; errorCode: string; error: string }
  | { status: "processing"; stage: FileStage; progress: number; errorCode: string; error: string };

/** Moves a file's processing along; a file archived meanwhile is left alone. */
export async function updateProcessing(tx: Tx, fileId: string, update: ProcessingUpdate) {
  const result = await tx.file.updateMany({
    where: { id: fileId, archivedAt: null },
    data: {
      status: update.status,
      ...(update.status === "failed"
        ? { stage: null, errorCode: update.errorCode, error: update.error, processedAt: new Date() }
        : {
            stage: update.stage,
            progress: update.progress,
            errorCode: "errorCode" in update ? update.errorCode : null,
            error: "error" in update ? update.error : null,
          }),
    },
  });
  return result.count > 0;
}

export async function markReady(
  tx: Tx,
  fileId: string,
  result: { extractedText: string; pageCount: number | null; chunkCount: number },
) {
  await tx.file.updateMany({
    where: { id: fileId, archivedAt: null },
    data: {
      status: "ready",
      stage: null,
      progress: 100,
      error: null,
      errorCode: null,
      extractedText: result.extractedText,
      pageCount: result.pageCount,
      chunkCount: result.chunkCount,
      processedAt: new Date(),
    },
  });
}
