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
 * with one query in one `withTenant` transaction. A sequencer asks once per client it has not
 * seen, so when many documents start editing at once (a restart, a morning) their first ops
 * would otherwise each take a transaction just for this.
 *
 * Each (document, client) pair is one probe of the (document, client, seq) index, newest first
 * (`LIMIT 1`), whatever the client's history; the pairs go in as a VALUES list, only
 * placeholders spliced into the text.
 */
export function createPostgresClientSeqGroup(db: Database): RunGroup<ClientSeqRequest, Map<string, number>> {
  return async (organizationId, requests) => {
    const pairs = requests.flatMap(({ ref, clientIds }) =>
      UUID.test(ref.documentId) ? [...new Set(clientIds)].map((clientId) => [ref.documentId, clientId] as const) : [],
    );
    const found = new Map<string, Map<string, number>>();
    if (pairs.length > 0) {
      const params: string[] = [];
      const values = pairs.map(([documentId, clientId]) => {
        const n = params.push(documentId, clientId);
        return `($${n - 1}::uuid, $${n}::text)`;
      });
      const rows = await db.withTenant({ organizationId }, (tx) =>
        tx.$queryRawUnsafe<{ documentId: string; clientId: string; clientSeq: number }[]>(
          `SELECT w.document_id::text AS "documentId", w.client_id AS "clientId", last.client_seq AS "clientSeq"
           FROM (VALUES ${values.join(", ")}) AS w(document_id, client_id)
           CROSS JOIN LATERAL (
             SELECT o.client_seq FROM document_operations o
             WHERE o.document_id = w.document_id AND o.client_id = w.client_id
             ORDER BY o.client_seq DESC
             LIMIT 1
           ) AS last`,
          ...params,
        ),
      );
      for (const row of rows) {
        const document = row.documentId.toLowerCase();
        if (!found.has(document)) found.set(document, new Map());
        found.get(document)!.set(row.clientId, Number(row.clientSeq));
      }
    }
    return requests.map(({ ref }): GroupOutcome<Map<string, number>> => ({
      ok: true,
      value: new Map(found.get(ref.documentId.toLowerCase())),
    }));
  };
}
