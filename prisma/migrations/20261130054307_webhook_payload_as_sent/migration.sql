-- AlterTable
ALTER TABLE "webhook_deliveries" ALTER COLUMN "payload" SET DATA TYPE JSON;
