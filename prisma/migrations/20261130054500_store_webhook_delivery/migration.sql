-- Webhook ingress in one statement (see 20261129235900_collab_commit_group for the pattern): a
-- delivery is stored once per organization and delivery id and, when something handles its event
-- type, announced in the outbox in the same implicit transaction. One round trip instead of
-- withTenant's six, so the worker can answer a provider fast and still answer only once the
-- delivery is durable. The caller chooses the row id and builds the event payload and its catalog
-- version (checked against the event catalog in the app); p_event_payload is NULL for an event
-- type nothing handles.
-- Returns the stored row's id, and whether it was already there (a redelivery, which changes nothing).
CREATE FUNCTION "store_webhook_delivery"(
  p_organization_id uuid,
  p_id uuid,
  p_integration_id uuid,
  p_provider integration_provider,
  p_delivery_id text,
  p_event text,
  p_payload json,
  p_event_version integer,
  p_event_payload jsonb
)
RETURNS TABLE (id uuid, duplicate boolean)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
BEGIN
  PERFORM enter_tenant(p_organization_id);
  INSERT INTO webhook_deliveries AS w (id, organization_id, integration_id, provider, delivery_id, event, payload, status)
  VALUES (p_id, p_organization_id, p_integration_id, p_provider, p_delivery_id, p_event, p_payload,
          CASE WHEN p_event_payload IS NULL THEN 'ignored'::delivery_status ELSE 'received'::delivery_status END)
  ON CONFLICT (organization_id, provider, delivery_id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY
      SELECT w.id, true FROM webhook_deliveries w
       WHERE w.organization_id = p_organization_id AND w.provider = p_provider AND w.delivery_id = p_delivery_id;
    RETURN;
  END IF;
  IF p_event_payload IS NOT NULL THEN
    INSERT INTO outbox_events (organization_id, type, version, payload)
    VALUES (p_organization_id, 'webhook.received', p_event_version, p_event_payload);
  END IF;
  id := p_id;
  duplicate := false;
  RETURN NEXT;
END;
$$;

REVOKE ALL ON FUNCTION "store_webhook_delivery"(uuid, uuid, uuid, integration_provider, text, text, json, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "store_webhook_delivery"(uuid, uuid, uuid, integration_provider, text, text, json, integer, jsonb) TO devflow_app;
