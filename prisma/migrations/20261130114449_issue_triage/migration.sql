-- AlterTable
ALTER TABLE "issues" ADD COLUMN     "embedding" vector(384),
ADD COLUMN     "embedding_model" TEXT,
ADD COLUMN     "triage" JSONB;

-- Nearest issues by cosine distance, as for text_chunks (which Prisma cannot express either).
CREATE INDEX "issues_embedding_hnsw_idx" ON "issues" USING hnsw ("embedding" vector_cosine_ops);
