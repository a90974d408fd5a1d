-- Workflow runs (libs/domain/workflows): a lease, so two deliveries of one run never execute it at
-- once, and when a step's next attempt is due. Both tables already have row-level security.
-- AlterTable
ALTER TABLE "workflow_runs" ADD COLUMN     "locked_by" TEXT,
ADD COLUMN     "locked_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "workflow_step_runs" ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "workflow_runs_organization_id_status_created_at_idx" ON "workflow_runs"("organization_id", "status", "created_at" DESC);
