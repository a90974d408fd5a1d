-- AlterTable
ALTER TABLE "pull_requests" ADD COLUMN     "milestone" TEXT,
ADD COLUMN     "milestone_due_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "issues" ADD COLUMN     "milestone" TEXT,
ADD COLUMN     "milestone_due_at" TIMESTAMPTZ(3);
