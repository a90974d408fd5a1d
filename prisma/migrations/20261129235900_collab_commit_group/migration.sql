-- A tenant's unit of work in a single statement. withTenant costs four round trips (BEGIN, the
-- tenant settings, the statement, COMMIT); a function called on its own runs in the statement's
-- implicit transaction, so it costs one and is durable when it returns. Such a function must
-- enter the tenant before its first query, with exactly withTenant's settings: transaction-local,
-- so they end with the call. It stays SECURITY INVOKER: row-level security then binds it as the
-- app role, like any other query (a definer function could not switch role, and would run as its
-- owner).

CREATE FUNCTION "enter_tenant"(p_organization_id uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$
  SELECT set_config('role', 'devflow_app', true),
         set_config('app.current_organization', p_organization_id::text, true);
$$;

-- The collab commit of several documents of one organization (postgres-commit-group.ts). Each
-- document is a compare-and-set on its base version; the documents are updated in id order, so
-- two groups sharing documents wait for each other rather than deadlock. Only the ops of the
-- documents that moved are inserted; a repeated (document, version) or (document, client, seq)
-- aborts the whole call, like any unique violation. Returns one row per document that moved
-- (committed, with its new version) and one per refused document this organization can see
-- (not committed, with the version it is at, read after the updates); a document missing from
-- the answer does not exist for this organization.
CREATE FUNCTION "collab_commit_group"(p_organization_id uuid, p_batches jsonb, p_ops jsonb)
RETURNS TABLE (document uuid, committed boolean, head_version integer)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
  b record;
  moved uuid[] := '{}';
  refused uuid[] := '{}';
BEGIN
  PERFORM enter_tenant(p_organization_id);
  FOR b IN
    SELECT x.document_id, x.base_version, x.version, x.content, x.updated_by_id
    FROM jsonb_to_recordset(p_batches)
      AS x(document_id uuid, base_version integer, version integer, content text, updated_by_id uuid)
    ORDER BY x.document_id
  LOOP
    UPDATE documents d
    SET content = b.content, version = b.version, updated_by_id = b.updated_by_id, updated_at = now()
    WHERE d.id = b.document_id AND d.version = b.base_version;
    IF FOUND THEN
      moved := moved || b.document_id;
      document := b.document_id;
      committed := true;
      head_version := b.version;
      RETURN NEXT;
    ELSE
      refused := refused || b.document_id;
    END IF;
  END LOOP;

  INSERT INTO document_operations (organization_id, document_id, version, op, user_id, client_id, client_seq)
  SELECT p_organization_id, o.document_id, o.version, o.op, o.user_id, o.client_id, o.client_seq
  FROM jsonb_to_recordset(p_ops)
    AS o(document_id uuid, version integer, op jsonb, user_id uuid, client_id text, client_seq integer)
  WHERE o.document_id = ANY (moved);

  IF cardinality(refused) > 0 THEN
    RETURN QUERY SELECT d.id, false, d.version FROM documents d WHERE d.id = ANY (refused);
  END IF;
END;
$$;
