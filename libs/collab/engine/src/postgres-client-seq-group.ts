import type { Database } from "@devflow/db";
import type { DocumentRef } from "./op-store";
import type { GroupOutcome, RunGroup } from "./tenant-batcher";

/** The clients of one document whose highest committed sequence is wanted. */
export interface ClientSeqRequest {
  ref: DocumentRef;
  clientIds: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Looks up the highest committed sequence of clients in several documents of one organization
 * with one call of the SQL function `collab_last_client_seqs` (migration of that name): one round
 * trip, straight to the pool. A sequencer asks once per client it has not seen, so when many
 * documents start editing at once (a restart, a morning) their first ops would otherwise each
 * wait for a tenant transaction of four round trips just for this, in front of their commits.
 *
 * Each (document, client) pair is one probe of the (document, client, seq) index, newest first,
 * whatever the client's history.
 */
export function createPostgresClientSeqGroup(db: Database): RunGroup<ClientSeqRequest, Map<string, number>> {
  return async (organizationId, requests) => {
    const pairs = requests.flatMap(({ ref, clientIds }) =>
      UUID.test(ref.documentId)
        ? [...new Set(clientIds)].map((clientId) => ({ document_id: ref.documentId, client_id: clientId }))
        : [],
    );
    const found = new Map<string, Map<string, number>>();
    if (pairs.length > 0) {
      const rows = await db.callTenantFunctionDirect<{ document: string; client_id: string; client_seq: number }>(
        { organizationId },
        "collab_last_client_seqs",
        [JSON.stringify(pairs)],
      );
      for (const row of rows) {
        const document = row.document.toLowerCase();
        if (!found.has(document)) found.set(document, new Map());
        found.get(document)!.set(row.client_id, Number(row.client_seq));
      }
    }
    return requests.map(({ ref }): GroupOutcome<Map<string, number>> => ({
      ok: true,
      value: new Map(found.get(ref.documentId.toLowerCase())),
    }));
  };
}
