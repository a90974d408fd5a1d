-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "oauth_client_id" TEXT,
ADD COLUMN     "oauth_grant_id" UUID;

-- AlterTable
ALTER TABLE "chat_messages" ADD COLUMN     "model" TEXT;

-- AlterTable
ALTER TABLE "ai_activities" ADD COLUMN     "error_code" TEXT;

-- AlterTable
ALTER TABLE "agent_executions" ADD COLUMN     "api_token_id" UUID,
ADD COLUMN     "diff" TEXT,
ADD COLUMN     "duration_ms" INTEGER,
ADD COLUMN     "project_id" UUID,
ADD COLUMN     "sources" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "tool" TEXT;

-- CreateTable
CREATE TABLE "oauth_clients" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "redirect_uris" TEXT[],
    "token_endpoint_auth_method" TEXT NOT NULL DEFAULT 'none',
    "client_uri" TEXT,
    "logo_uri" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_grants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "scopes" TEXT[],
    "resource" TEXT,
    "refresh_token_hash" TEXT,
    "refresh_expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oauth_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_authorization_codes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "code_challenge" TEXT NOT NULL,
    "scopes" TEXT[],
    "resource" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_authorization_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "oauth_grants_refresh_token_hash_key" ON "oauth_grants"("refresh_token_hash");

-- CreateIndex
CREATE INDEX "oauth_grants_organization_id_user_id_idx" ON "oauth_grants"("organization_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_authorization_codes_code_hash_key" ON "oauth_authorization_codes"("code_hash");

-- CreateIndex
CREATE INDEX "oauth_authorization_codes_organization_id_grant_id_idx" ON "oauth_authorization_codes"("organization_id", "grant_id");

-- CreateIndex
CREATE INDEX "api_tokens_organization_id_oauth_grant_id_idx" ON "api_tokens"("organization_id", "oauth_grant_id");

-- CreateIndex
CREATE INDEX "ai_activities_organization_id_project_id_created_at_idx" ON "ai_activities"("organization_id", "project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "agent_executions_organization_id_project_id_created_at_idx" ON "agent_executions"("organization_id", "project_id", "created_at" DESC);

-- Row-level security, as for every table holding an organization's data. OAuth clients register
-- before anyone signs in and belong to no organization; grants and codes belong to one.
ALTER TABLE "oauth_grants" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oauth_grants" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "oauth_grants"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "oauth_grants"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

ALTER TABLE "oauth_authorization_codes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oauth_authorization_codes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "oauth_authorization_codes"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "oauth_authorization_codes"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');
