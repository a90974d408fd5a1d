-- Full-text ranking that can use the GIN index under row-level security.
--
-- Why: `search_vector @@ tsquery` (ts_match_vq) is not LEAKPROOF, so where text_chunks' policies
-- apply PostgreSQL must evaluate the policy quals first and may not make it an index condition:
-- as the app role every full-text search read the whole organization (455 ms p95 at 100k chunks).
-- Marking ts_match_vq LEAKPROOF needs a superuser (Cloud SQL has none) and is not ours to vouch
-- for; a composite (organization_id, search_vector) GIN index does not help either (the planner
-- uses only its organization column under RLS, then filters every row).
--
-- What: rank_text_chunks() runs as devflow_text_search, a NOLOGIN role with no members that may
-- read only the columns ranking needs. One permissive policy lets that role read text_chunks rows
-- of any organization; OR-ed with the other policies it folds to TRUE, so no security qual is left
-- and the planner may use the GIN index. In exchange the function applies the organization itself,
-- taken from the transaction's app.current_organization (set by withTenant, the same setting every
-- policy reads) and never from an argument: a caller ranks exactly the organization its own
-- row-level security lets it read, and nothing without one. Documents and projects stay under
-- row-level security inside the function (the policy is on text_chunks only), so a chunk is ranked
-- only if its document and project are visible in that organization too: a second, independent
-- tenant check. The caller passes the projects the reader may see (decided by the app, as for every
-- other query; the app role can read all of its organization's documents anyway), the source
-- types, the limit and how many matches to rank. Only built-in operators (@@, =) ever see another
-- organization's rows, inside the index scan; nothing a caller supplies runs on them.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'devflow_text_search') THEN
    CREATE ROLE devflow_text_search NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO devflow_text_search;
GRANT SELECT ("id", "organization_id", "source_type", "source_id", "search_vector") ON "text_chunks" TO devflow_text_search;
GRANT SELECT ("id", "organization_id", "project_id", "archived_at") ON "documents" TO devflow_text_search;
GRANT SELECT ("id", "organization_id", "archived_at") ON "projects" TO devflow_text_search;

CREATE POLICY text_search_ranking ON "text_chunks" FOR SELECT TO devflow_text_search USING (true);

-- Ranking reads search_vector for every candidate. With the default storage about half the rows
-- moved it out of line (the embedding and the compressed tsvector together pass the 2 kB toast
-- threshold), costing a TOAST lookup per candidate; MAIN keeps it in the row and moves the
-- embedding and content out first (~30% less ranking time). Applies to rows written from now on,
-- which re-indexing rewrites.
ALTER TABLE "text_chunks" ALTER COLUMN "search_vector" SET STORAGE MAIN;

-- Tier 1: chunks containing every word of the query (websearch syntax: "phrases", -not, or).
-- Tier 2, only when tier 1 has fewer than p_limit: chunks containing some of the words (the
-- top-level "and"s become "or"s, unless the query negates a word: then "or" would let the negation
-- match nearly everything). Each tier ranks at most p_candidates matches (at least p_limit, at most
-- 1,000), taken in index order: a common word can match most of a large organization's chunks, and
-- ranking them all costs more than a search may take. The project and source filters apply before
-- that cap and before ranking. Rows: tier, then ts_rank_cd (cover density; the heading, which
-- carries the title, weighs more than the body), best first; callers order by (tier, rank DESC, id).
--
-- PL/pgSQL with EXECUTE, not a SQL function: EXECUTE is planned with its parameter values, so the
-- planner sees the actual tsquery and organization. A SQL function is planned with unknown
-- parameters, and that generic plan intersected the GIN index with every btree entry of the
-- organization and hashed all its documents (186 ms where this plan takes a few).
CREATE FUNCTION public.rank_text_chunks(
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
            -- LATERAL with LIMIT 1: a primary-key probe per candidate, never a hash of every
            -- document in the organization (which the planner preferred at 8,000 documents).
            CROSS JOIN LATERAL (
              SELECT 1
                FROM public.documents d
                JOIN public.projects p ON p.organization_id = d.organization_id AND p.id = d.project_id
               WHERE d.organization_id = c.organization_id AND d.id = c.source_id
                 AND d.archived_at IS NULL AND p.archived_at IS NULL
                 AND ($5::uuid[] IS NULL OR d.project_id = ANY ($5))
                 AND ($6::uuid IS NULL OR d.project_id = $6)
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
                FROM public.documents d
                JOIN public.projects p ON p.organization_id = d.organization_id AND p.id = d.project_id
               WHERE d.organization_id = c.organization_id AND d.id = c.source_id
                 AND d.archived_at IS NULL AND p.archived_at IS NULL
                 AND ($5::uuid[] IS NULL OR d.project_id = ANY ($5))
                 AND ($6::uuid IS NULL OR d.project_id = $6)
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

-- ALTER ... OWNER needs membership in the new owner; the migration role drops it again afterwards
-- so the policy above never applies to it.
GRANT devflow_text_search TO CURRENT_USER;
ALTER FUNCTION public.rank_text_chunks(text, uuid[], uuid, public.chunk_source[], integer, integer)
  OWNER TO devflow_text_search;
REVOKE devflow_text_search FROM CURRENT_USER;
REVOKE ALL ON FUNCTION public.rank_text_chunks(text, uuid[], uuid, public.chunk_source[], integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.rank_text_chunks(text, uuid[], uuid, public.chunk_source[], integer, integer)
  TO devflow_app;
