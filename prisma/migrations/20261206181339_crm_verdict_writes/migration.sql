-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "crm" "CrmKind";

-- AlterTable
ALTER TABLE "crm_connection" ADD COLUMN     "fieldsReadyAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "crm_verdict_write" (
    "feedbackId" BIGINT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "crm" "CrmKind" NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "writtenAt" TIMESTAMP(3),

    CONSTRAINT "crm_verdict_write_pkey" PRIMARY KEY ("feedbackId")
);

-- CreateIndex
CREATE INDEX "crm_verdict_write_status_nextAttemptAt_idx" ON "crm_verdict_write"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "crm_verdict_write_workspaceId_status_idx" ON "crm_verdict_write"("workspaceId", "status");

-- CreateIndex
CREATE INDEX "crm_verdict_write_leadId_idx" ON "crm_verdict_write"("leadId");

-- AddForeignKey
ALTER TABLE "crm_verdict_write" ADD CONSTRAINT "crm_verdict_write_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crm_verdict_write" ADD CONSTRAINT "crm_verdict_write_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "lead_feedback"("id") ON DELETE CASCADE ON UPDATE CASCADE;
