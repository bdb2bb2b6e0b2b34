-- CreateEnum
CREATE TYPE "CrmKind" AS ENUM ('hubspot', 'salesforce');

-- CreateTable
CREATE TABLE "crm_connection" (
    "workspaceId" TEXT NOT NULL,
    "kind" "CrmKind" NOT NULL,
    "credentials" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "mapping" JSONB NOT NULL DEFAULT '{}',
    "cursors" JSONB NOT NULL DEFAULT '{}',
    "backfillDays" INTEGER NOT NULL DEFAULT 90,
    "connectedBy" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "syncLeaseUntil" TIMESTAMP(3),
    "lastSyncAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "leadsCreated" INTEGER NOT NULL DEFAULT 0,
    "leadsUpdated" INTEGER NOT NULL DEFAULT 0,
    "leadsRemoved" INTEGER NOT NULL DEFAULT 0,
    "outcomes" INTEGER NOT NULL DEFAULT 0,
    "verdictsWritten" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "crm_connection_pkey" PRIMARY KEY ("workspaceId")
);

-- AddForeignKey
ALTER TABLE "crm_connection" ADD CONSTRAINT "crm_connection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
