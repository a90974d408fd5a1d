-- Full-text ranking covers uploaded files as well as documents.
--
-- What changes in rank_text_chunks() (migration 20261130013203_rank_text_chunks explains why it
-- exists and runs as devflow_text_search): a candidate chunk is ranked when its source is a live
-- document, or a file that is ready and not archived, in a live project the caller may see. Files'
-- passages are written by the file processor with source_type 'file' and source_id = files.id.
-- Everything else is as before: the organization comes from the transaction, the caps, the tiers,
-- the EXECUTE with parameter values, the owner, search_path and grants.
--
-- How: the per-candidate LATERAL probe now reads documents UNION ALL files, each branch gated on
-- c.source_type (a one-time filter per candidate, so a chunk costs one primary-key lookup in its own
-- table and one in projects, never a join over every file or document). Measured at 20,000
-- document chunks plus 3,000 file chunks: the same plans as before (Bitmap Index Scan on
-- text_chunks_search_vector_idx driving, index probes of documents_organization_id_id_key or
-- files_pkey and projects_organization_id_id_key per candidate).
--
-- Files stay under row-level security inside the function, like documents and projects: the
-- function's role reads only the columns the visibility check needs, and only the transaction's
-- organization's rows.

GRANT SELECT ("id", "organization_id", "project_id", "status", "archived_at") ON "files" TO devflow_text_search;

-- CREATE OR REPLACE needs membership in the owner, as ALTER ... OWNER did; the migration role drops
-- it again afterwards so the text_search_ranking policy never applies to it. Replacing keeps the
-- owner (devflow_text_search) and the EXECUTE grants (devflow_app only, not PUBLIC).
GRANT devflow_text_search TO CURRENT_USER;

CREATE OR REPLACE FUNCTION public.rank_text_chunks(
  p_query text,
  p_visible_project_ids uuid[],
  p_project_id uuid,
  p_source_types public.chunk_source[],
  p_limit integer,
  p_candidates integer
)
RETURNS TABLE (id uuid, tier integer, rank real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  -- The organization comes from the transaction, never from the caller.
  v_organization_id uuid := NULLIF(current_setting('app.current_organization', true), '')::uuid;
  v_limit integer := least(greatest(coalesce(p_limit, 0), 0), 1000);
  v_candidates integer := least(greatest(coalesce(p_candidates, 0), v_limit), 1000);
  v_every tsquery;
  v_any tsquery;
  -- $1 organization, $2 every word, $3 some words (null: no second tier), $4 source types,
  -- $5 visible projects (null: all), $6 one project (or null), $7 limit, $8 candidates per tier.
  -- The two tiers' scans differ only in their tsquery and tier 2's exclusion of tier 1's rows.
  v_ranked constant text := $sql$
    WITH full_matches AS MATERIALIZED (
      SELECT m.id, ts_rank_cd(m.search_vector, $2) AS rank
        FROM (
          SELECT c.id, c.search_vector
            FROM public.text_chunks c
            -- LATERAL with LIMIT 1: a primary-key probe per candidate in its source's table (the
            -- branch whose source_type does not match never runs), never a hash of every document
            -- or file in the organization (which the planner preferred at 8,000 documents).
            CROSS JOIN LATERAL (
              SELECT 1
                FROM (
                  SELECT d.project_id
                    FROM public.documents d
                   WHERE c.source_type = 'document'
                     AND d.organization_id = c.organization_id AND d.id = c.source_id
                     AND d.archived_at IS NULL
                  UNION ALL
                  SELECT f.project_id
                    FROM public.files f
                   WHERE c.source_type = 'file'
                     AND f.organization_id = c.organization_id AND f.id = c.source_id
                     AND f.status = 'ready' AND f.archived_at IS NULL
                ) s
                JOIN public.projects p ON p.organization_id = c.organization_id AND p.id = s.project_id
               WHERE p.archived_at IS NULL
                 AND ($5::uuid[] IS NULL OR s.project_id = ANY ($5))
                 AND ($6::uuid IS NULL OR s.project_id = $6)
               LIMIT 1
            ) visible
           WHERE c.organization_id = $1
             AND c.source_type = ANY ($4)
             AND c.search_vector @@ $2
           LIMIT $8
        ) m
       ORDER BY 2 DESC, 1
       LIMIT $7
    ),
    partial_matches AS (
      SELECT m.id, ts_rank_cd(m.search_vector, $3) AS rank
        FROM (
          SELECT c.id, c.search_vector
            FROM public.text_chunks c
            CROSS JOIN LATERAL (
              SELECT 1
                FROM (
                  SELECT d.project_id
                    FROM public.documents d
                   WHERE c.source_type = 'document'
                     AND d.organization_id = c.organization_id AND d.id = c.source_id
                     AND d.archived_at IS NULL
                  UNION ALL
                  SELECT f.project_id
                    FROM public.files f
                   WHERE c.source_type = 'file'
                     AND f.organization_id = c.organization_id AND f.id = c.source_id
                     AND f.status = 'ready' AND f.archived_at IS NULL
                ) s
                JOIN public.projects p ON p.organization_id = c.organization_id AND p.id = s.project_id
               WHERE p.archived_at IS NULL
                 AND ($5::uuid[] IS NULL OR s.project_id = ANY ($5))
                 AND ($6::uuid IS NULL OR s.project_id = $6)
               LIMIT 1
            ) visible
           WHERE c.organization_id = $1
             AND c.source_type = ANY ($4)
             AND c.search_vector @@ $3
             -- By id, not `NOT @@ $2`: that would decompress every candidate's tsvector twice.
             AND c.id NOT IN (SELECT f.id FROM full_matches f)
           LIMIT $8
        ) m
       -- Constant for the statement: when false, tier 2's scan never starts.
       WHERE $3::tsquery IS NOT NULL AND (SELECT count(*) FROM full_matches) < $7
       ORDER BY 2 DESC, 1
       LIMIT $7 - (SELECT count(*) FROM full_matches)
    )
    SELECT f.id, 1, f.rank FROM full_matches f
    UNION ALL
    SELECT p.id, 2, p.rank FROM partial_matches p
  $sql$;
BEGIN
  IF v_organization_id IS NULL OR v_limit = 0 OR p_source_types IS NULL THEN
    RETURN;
  END IF;
  v_every := websearch_to_tsquery('english', coalesce(p_query, ''));
  IF numnode(v_every) = 0 THEN
    RETURN; -- nothing but stop words and punctuation
  END IF;
  IF strpos(v_every::text, '!') = 0 THEN
    v_any := replace(v_every::text, ' & ', ' | ')::tsquery;
    IF v_any = v_every THEN
      v_any := NULL; -- one word or one phrase: the second tier would find nothing new
    END IF;
  END IF;
  RETURN QUERY EXECUTE v_ranked
    USING v_organization_id, v_every, v_any, p_source_types, p_visible_project_ids, p_project_id,
          v_limit, v_candidates;
END
$fn$;

REVOKE devflow_text_search FROM CURRENT_USER;
