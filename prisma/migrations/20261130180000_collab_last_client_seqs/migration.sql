-- The collab sequencer's look-up of the highest committed sequence of clients it has not seen yet
-- (postgres-client-seq-group.ts), in one statement like collab_commit_group: the first op of every
-- editor of a document needs it, so after a restart, or when a team starts typing at once, these
-- look-ups queue in front of their commits. A tenant transaction for each costs four round trips;
-- this costs one. SECURITY INVOKER, entering the tenant first, so row-level security binds it as
-- the app role. Each (document, client) pair is one probe of the (document, client, seq) index,
-- newest first; a pair with no committed op is absent from the answer.
CREATE FUNCTION "collab_last_client_seqs"(p_organization_id uuid, p_pairs jsonb)
RETURNS TABLE (document uuid, client_id text, client_seq integer)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
BEGIN
  PERFORM enter_tenant(p_organization_id);
  RETURN QUERY
  SELECT w.document_id, w.client_id, last.client_seq
  FROM jsonb_to_recordset(p_pairs) AS w(document_id uuid, client_id text)
  CROSS JOIN LATERAL (
    SELECT o.client_seq FROM document_operations o
    WHERE o.document_id = w.document_id AND o.client_id = w.client_id
    ORDER BY o.client_seq DESC
    LIMIT 1
  ) AS last;
END;
$$;
