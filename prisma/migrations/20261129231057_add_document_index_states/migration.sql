-- CreateTable
CREATE TABLE "document_index_states" (
    "organization_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "indexed_version" INTEGER,
    "source_updated_at" TIMESTAMPTZ(3),
    "embedding_model" TEXT,
    "indexed_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "retry_after" TIMESTAMPTZ(3),

    CONSTRAINT "document_index_states_pkey" PRIMARY KEY ("organization_id","document_id")
);

-- AddForeignKey
ALTER TABLE "document_index_states" ADD CONSTRAINT "document_index_states_organization_id_document_id_fkey" FOREIGN KEY ("organization_id", "document_id") REFERENCES "documents"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security, as for every table holding an organization's data.
ALTER TABLE "document_index_states" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_index_states" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_index_states"
  USING ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid)
  WITH CHECK ("organization_id" = NULLIF(current_setting('app.current_organization', true), '')::uuid);
CREATE POLICY system_access ON "document_index_states"
  USING (current_setting('app.system_access', true) = 'on')
  WITH CHECK (current_setting('app.system_access', true) = 'on');

-- text_chunks.source_id points at a document, file, pull request or issue, so no foreign key can
-- cascade; this trigger removes a deleted document's passages in the same transaction instead.
-- It runs as the deleting role, under the same row-level security as the delete itself.
CREATE FUNCTION "delete_document_text_chunks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "text_chunks"
   WHERE "organization_id" = OLD."organization_id" AND "source_type" = 'document' AND "source_id" = OLD."id";
  RETURN OLD;
END
$$;
CREATE TRIGGER "documents_delete_text_chunks" AFTER DELETE ON "documents"
  FOR EACH ROW EXECUTE FUNCTION "delete_document_text_chunks"();
