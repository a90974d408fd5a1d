-- CreateTable
CREATE TABLE "slack_user_links" (
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "slack_user_id" TEXT,
    "looked_up_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_user_links_pkey" PRIMARY KEY ("organization_id","user_id")
);

-- Row-level security, as for every table holding an organization's data: a person's Slack identity
-- in one organization's workspace is never read while delivering another organization's notifications.
ALTER TABLE "slack_user_links" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "slack_user_links" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "slack_user_links"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "slack_user_links"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

-- The default privileges from 20261123190100_row_level_security cover tables created by the same
-- role; granting explicitly keeps the table usable when another role runs this migration.
GRANT SELECT, INSERT, UPDATE, DELETE ON "slack_user_links" TO devflow_app;
