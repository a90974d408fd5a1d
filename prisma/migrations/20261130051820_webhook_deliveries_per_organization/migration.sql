-- DropIndex
DROP INDEX "webhook_deliveries_provider_delivery_id_key";

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_organization_id_provider_delivery_id_key" ON "webhook_deliveries"("organization_id", "provider", "delivery_id");
