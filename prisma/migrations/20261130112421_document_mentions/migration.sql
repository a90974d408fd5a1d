-- CreateTable
CREATE TABLE "document_mentions" (
    "organization_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "notified_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "document_mentions_pkey" PRIMARY KEY ("document_id","user_id")
);

-- AddForeignKey
ALTER TABLE "document_mentions" ADD CONSTRAINT "document_mentions_organization_id_document_id_fkey" FOREIGN KEY ("organization_id", "document_id") REFERENCES "documents"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security, as for every table holding an organization's data: who was mentioned in which
-- document is read and written only under that document's organization.
ALTER TABLE "document_mentions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_mentions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_mentions"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_mentions"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

-- The default privileges from 20261123190100_row_level_security cover tables created by the same
-- role; granting explicitly keeps the table usable when another role runs this migration.
GRANT SELECT, INSERT, UPDATE, DELETE ON "document_mentions" TO devflow_app;
