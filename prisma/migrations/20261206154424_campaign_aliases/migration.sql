-- CreateTable
CREATE TABLE "campaign_alias" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "campaignKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_alias_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "campaign_alias_workspaceId_nameKey_key" ON "campaign_alias"("workspaceId", "nameKey");

-- AddForeignKey
ALTER TABLE "campaign_alias" ADD CONSTRAINT "campaign_alias_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
