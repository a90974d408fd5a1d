-- AlterTable
ALTER TABLE "files" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "chunk_count" INTEGER,
ADD COLUMN     "error_code" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'text',
ADD COLUMN     "page_count" INTEGER,
ADD COLUMN     "progress" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stage" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "files_organization_id_created_at_idx" ON "files"("organization_id", "created_at" DESC);
