import type { Prisma, Tx } from "@devflow/db";

/** What triage reads of an issue. */
export interface TriagedIssue {
  id: string;
  repositoryId: string;
  title: string;
  body: string;
}

export function findIssue(tx: Tx, issueId: string): Promise<TriagedIssue | null> {
  return tx.issue.findUnique({
    where: { id: issueId },
    select: { id: true, repositoryId: true, title: true, body: true },
  });
}

/** Labels the repository's issues use (or the organization's, without a repository), most used first. */
export async function labelVocabulary(tx: Tx, repositoryId: string | null): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ label: string }[]>(
    `SELECT label FROM issues, unnest(labels) AS label
      WHERE ($1::uuid IS NULL OR repository_id = $1::uuid)
      GROUP BY label ORDER BY count(*) DESC, label LIMIT 300`,
    repositoryId,
  );
  return rows.map((row) => row.label);
}

/** Issues of the repository (or organization) with no embedding by `model` yet, newest first. */
export async function issuesWithoutEmbedding(
  tx: Tx,
  repositoryId: string | null,
  model: string,
  limit: number,
): Promise<TriagedIssue[]> {
  return tx.$queryRawUnsafe<TriagedIssue[]>(
    `SELECT id::text AS id, repository_id::text AS "repositoryId", title, body FROM issues
      WHERE ($1::uuid IS NULL OR repository_id = $1::uuid)
        AND (embedding IS NULL OR embedding_model IS DISTINCT FROM $2)
      ORDER BY opened_at DESC LIMIT $3`,
    repositoryId,
    model,
    limit,
  );
}

export async function storeEmbedding(tx: Tx, issueId: string, vector: readonly number[], model: string) {
  await tx.$executeRawUnsafe(
    `UPDATE issues SET embedding = $2::vector, embedding_model = $3 WHERE id = $1::uuid`,
    issueId,
    `[${vector.join(",")}]`,
    model,
  );
}

export interface NearestIssue {
  issueId: string;
  repositoryFullName: string;
  number: number;
  title: string;
  state: string;
  url: string | null;
  distance: number;
}

/** The issues nearest `vector` (cosine distance, HNSW), embedded by the same model, within `maxDistance`. */
export async function nearestIssues(
  tx: Tx,
  query: {
    vector: readonly number[];
    model: string;
    repositoryId: string | null;
    excludeIssueId: string | null;
    limit: number;
    maxDistance: number;
  },
): Promise<NearestIssue[]> {
  return tx.$queryRawUnsafe<NearestIssue[]>(
    `WITH nearest AS MATERIALIZED (
       SELECT i.id, i.embedding <=> $1::vector AS distance
         FROM issues i
        WHERE i.embedding IS NOT NULL AND i.embedding_model = $2
          AND ($3::uuid IS NULL OR i.repository_id = $3::uuid)
          AND ($4::uuid IS NULL OR i.id <> $4::uuid)
        ORDER BY i.embedding <=> $1::vector
        LIMIT $5
     )
     SELECT i.id::text AS "issueId", r.full_name AS "repositoryFullName", i.number, i.title, i.state, i.url,
            n.distance::float8 AS distance
       FROM nearest n JOIN issues i ON i.id = n.id JOIN repositories r ON r.id = i.repository_id
      WHERE n.distance <= $6
      ORDER BY n.distance, i.number`,
    `[${query.vector.join(",")}]`,
    query.model,
    query.repositoryId,
    query.excludeIssueId,
    query.limit,
    query.maxDistance,
  );
}

export async function storeTriage(tx: Tx, issueId: string, triage: Prisma.InputJsonObject) {
  await tx.issue.update({ where: { id: issueId }, data: { triage }, select: { id: true } });
}
