-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "attributed_manually" BOOLEAN NOT NULL DEFAULT false;
