-- AlterTable
ALTER TABLE "lead_feedback" ADD COLUMN     "cameBackAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "lead_feedback_revisit_due" ON "lead_feedback"("workspaceId", "revisitOn") WHERE ("cameBackAt" IS NULL AND "revisitOn" IS NOT NULL);
