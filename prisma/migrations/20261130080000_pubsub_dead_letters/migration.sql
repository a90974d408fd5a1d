-- CreateTable
CREATE TABLE "event_dead_letters" (
    "organization_id" UUID NOT NULL,
    "handler" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL,
    "error" TEXT,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_dead_letters_pkey" PRIMARY KEY ("handler","event_id")
);

-- CreateIndex
CREATE INDEX "event_dead_letters_organization_id_failed_at_idx" ON "event_dead_letters"("organization_id", "failed_at" DESC);

-- Row-level security, as for every table holding an organization's data: an admin lists and
-- retries only their own organization's dead letters.
ALTER TABLE "event_dead_letters" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "event_dead_letters" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "event_dead_letters"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "event_dead_letters"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

-- The default privileges from 20261123190100_row_level_security cover tables created by the same
-- role; granting explicitly keeps the table usable when another role runs this migration.
GRANT SELECT, INSERT, UPDATE, DELETE ON "event_dead_letters" TO devflow_app;
