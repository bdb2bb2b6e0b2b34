-- CreateTable
CREATE TABLE "hubspot_change" (
    "workspaceId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    CONSTRAINT "hubspot_change_pkey" PRIMARY KEY ("workspaceId","objectType","objectId")
);

-- CreateIndex
CREATE INDEX "hubspot_change_nextAttemptAt_idx" ON "hubspot_change"("nextAttemptAt");

-- AddForeignKey
ALTER TABLE "hubspot_change" ADD CONSTRAINT "hubspot_change_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
