-- CreateEnum
CREATE TYPE "OutcomeType" AS ENUM ('opportunity', 'won', 'lost');

-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "conversionWindowDays" INTEGER NOT NULL DEFAULT 180,
ADD COLUMN     "hindsightPerRep" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "lead_feedback" ADD COLUMN     "revisitOn" DATE;

-- CreateTable
CREATE TABLE "outcome" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "type" "OutcomeType" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "amount" DECIMAL(20,4),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outcome_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outcome_leadId_at_idx" ON "outcome"("leadId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "outcome_workspaceId_externalId_type_key" ON "outcome"("workspaceId", "externalId", "type");

-- AddForeignKey
ALTER TABLE "outcome" ADD CONSTRAINT "outcome_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome" ADD CONSTRAINT "outcome_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;
