import type { RequestContext } from "@devflow/auth";
import type { Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { notFound } from "@devflow/util-core";
import * as repo from "./documents.repository";
import type { DocumentRow } from "./documents.repository";

/** A document is visible when its project is; otherwise it does not exist for this actor. */
export async function loadVisibleDocument(tx: Tx, ctx: RequestContext, documentId: string): Promise<DocumentRow> {
  const row = await repo.findDocument(tx, documentId);
  if (!row) throw notFound("Document", documentId);
  try {
    await loadVisibleProject(tx, ctx, row.projectId);
  } catch {
    throw notFound("Document", documentId);
  }
  return row;
}
