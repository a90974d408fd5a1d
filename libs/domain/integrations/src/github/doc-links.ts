import type { Tx } from "@devflow/db";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/**
 * A document's address in the web app, `<web base URL>/<orgSlug>/documents/<id>`. Any host and any
 * path before the slug: the processor does not know which base URL the organization's people copy
 * links from (self-hosted, preview and local deployments differ), and does not need to, because
 * every id found is then kept only if it is a document of the organization itself.
 */
const DOCUMENT_URL = new RegExp(
  `https?://[^\\s/<>()\\[\\]"']+(?:/[^\\s/<>()\\[\\]"']+)+?/documents/(${UUID})(?![0-9a-z-])`,
  "gi",
);
/** A bare reference, for when a URL is too long: `devflow:<id>`. */
const DOCUMENT_REFERENCE = new RegExp(`(?<![\\w/-])devflow:(${UUID})(?![0-9a-z-])`, "gi");

/** More is a paste of a list, not a pull request implementing documents; bounds the lookup too. */
export const MAX_LINKED_DOCUMENTS = 50;

/**
 * The document ids mentioned in `texts` (a pull request's title and body), lower-cased, each once,
 * in the order first mentioned. Only the shape is checked here: see linkedDocumentIds.
 */
export function extractDocumentIds(...texts: (string | null | undefined)[]): string[] {
  const ids = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    const mentions = [...text.matchAll(DOCUMENT_URL), ...text.matchAll(DOCUMENT_REFERENCE)].sort(
      (a, b) => a.index - b.index,
    );
    for (const mention of mentions) {
      if (ids.size >= MAX_LINKED_DOCUMENTS) return [...ids];
      ids.add(mention[1]!.toLowerCase());
    }
  }
  return [...ids];
}

/**
 * The ids from extractDocumentIds that are documents of this organization, in the same order.
 * A pull request can mention anything, including another organization's document: such an id is
 * dropped, never stored (row-level security hides the other tenant's row, and the query names the
 * organization as well, so the rule holds even under withSystem).
 */
export async function linkedDocumentIds(
  tx: Tx,
  organizationId: string,
  ...texts: (string | null | undefined)[]
): Promise<string[]> {
  const mentioned = extractDocumentIds(...texts);
  if (mentioned.length === 0) return [];
  const found = await tx.document.findMany({
    where: { organizationId, id: { in: mentioned } },
    select: { id: true },
  });
  const existing = new Set(found.map((doc) => doc.id.toLowerCase()));
  return mentioned.filter((id) => existing.has(id));
}
