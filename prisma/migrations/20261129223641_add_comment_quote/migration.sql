-- AlterTable
ALTER TABLE "comments" ADD COLUMN     "edited_at" TIMESTAMPTZ(3),
ADD COLUMN     "quote" TEXT NOT NULL DEFAULT '';
