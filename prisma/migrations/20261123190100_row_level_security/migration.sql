-- Tenant isolation. Every table holding an organization's data is readable and writable only
-- for the organization set (transaction-locally) by withTenant, or inside withSystem, which logs
-- why it needed to cross tenants. FORCE makes the table owner obey the policies too; only
-- superusers and BYPASSRLS roles skip them, and the apps connect as neither.
--
-- The apps' role. Deployments give it LOGIN and a password, or grant it to their login role;
-- withTenant also switches to it (SET LOCAL ROLE) so a misconfigured superuser URL still obeys RLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'devflow_app') THEN
    CREATE ROLE devflow_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO devflow_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO devflow_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO devflow_app;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_tables WHERE schemaname = 'public' AND tablename = '_prisma_migrations') THEN
    REVOKE ALL ON "_prisma_migrations" FROM devflow_app;
  END IF;
END
$$;

-- organizations: the tenant's own row, keyed on its id.
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "organizations"
  USING ("id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "organizations"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "memberships"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "memberships"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "groups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "groups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "groups"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "groups"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "group_members" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "group_members" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "group_members"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "group_members"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "invitations"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "invitations"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "sso_connections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sso_connections" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sso_connections"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "sso_connections"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "organization_domains" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "organization_domains" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "organization_domains"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "organization_domains"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "api_tokens"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "api_tokens"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "projects" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "projects" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "projects"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "projects"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "project_members" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "project_members" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "project_members"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "project_members"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "documents"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "documents"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "document_operations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_operations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_operations"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_operations"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "document_snapshots" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_snapshots" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_snapshots"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_snapshots"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "document_revisions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_revisions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_revisions"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_revisions"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "comments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "comments" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "comments"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "comments"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "files" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "files" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "files"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "files"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "text_chunks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "text_chunks" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "text_chunks"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "text_chunks"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "chat_sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "chat_sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "chat_sessions"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "chat_sessions"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "chat_messages" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "chat_messages" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "chat_messages"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "chat_messages"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "ai_activities" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ai_activities" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ai_activities"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "ai_activities"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "agent_executions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agent_executions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "agent_executions"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "agent_executions"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "integrations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "integrations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "integrations"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "integrations"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "webhook_deliveries"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "webhook_deliveries"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "outbox_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "outbox_events"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "outbox_events"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notifications"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "notifications"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "notification_preferences" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_preferences" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notification_preferences"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "notification_preferences"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "repositories" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "repositories" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "repositories"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "repositories"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "pull_requests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pull_requests" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "pull_requests"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "pull_requests"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "deployments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "deployments" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "deployments"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "deployments"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incidents" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "incidents"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "incidents"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "workflow_runs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workflow_runs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "workflow_runs"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "workflow_runs"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "workflow_step_runs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workflow_step_runs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "workflow_step_runs"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "workflow_step_runs"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "audit_logs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_logs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit_logs"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "audit_logs"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');
