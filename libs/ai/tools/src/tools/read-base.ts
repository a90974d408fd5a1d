import type { RequestContext } from "@devflow/auth";
import type { SourceRef } from "../tool";
import type { ToolServices } from "../tool-deps";

export interface BaseText {
  documentId: string;
  projectId: string;
  title: string;
  headVersion: number;
  /** The text at the edit's base version. */
  text: string;
  source: SourceRef;
}

/** The text an edit's offsets refer to, read with the caller's rights (not_found for what they cannot see). */
export async function readBase(
  { documents }: ToolServices,
  ctx: RequestContext,
  input: { documentId: string; baseVersion: number },
): Promise<BaseText> {
  const doc = await documents.get(ctx, input.documentId);
  const text =
    input.baseVersion === doc.version
      ? doc.content
      : (await documents.history.textAt(ctx, doc.id, input.baseVersion)).content;
  return {
    documentId: doc.id,
    projectId: doc.projectId,
    title: doc.title,
    headVersion: doc.version,
    text,
    source: { documentId: doc.id, title: doc.title, version: input.baseVersion },
  };
}
