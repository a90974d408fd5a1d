-- CreateTable
CREATE TABLE "document_issue_links" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "provider" "integration_provider" NOT NULL,
    "external_key" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "passage" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_issue_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "document_issue_links_organization_id_document_id_created_at_idx" ON "document_issue_links"("organization_id", "document_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "document_issue_links_organization_id_provider_external_key_key" ON "document_issue_links"("organization_id", "provider", "external_key");

-- Row-level security, as for every table holding an organization's data.
ALTER TABLE "document_issue_links" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_issue_links" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_issue_links"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_issue_links"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON "document_issue_links" TO devflow_app;
