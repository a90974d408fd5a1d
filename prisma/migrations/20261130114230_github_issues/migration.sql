-- CreateTable
CREATE TABLE "issues" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "repository_id" UUID NOT NULL,
    "provider" "integration_provider" NOT NULL DEFAULT 'github',
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL,
    "labels" TEXT[],
    "author_login" TEXT,
    "url" TEXT,
    "linked_document_ids" UUID[],
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "source_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "issues_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "issues_organization_id_state_opened_at_idx" ON "issues"("organization_id", "state", "opened_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "issues_repository_id_number_key" ON "issues"("repository_id", "number");

-- AddForeignKey
ALTER TABLE "issues" ADD CONSTRAINT "issues_organization_id_repository_id_fkey" FOREIGN KEY ("organization_id", "repository_id") REFERENCES "repositories"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security, as for every table holding an organization's data.
ALTER TABLE "issues" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "issues" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "issues"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "issues"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON "issues" TO devflow_app;
