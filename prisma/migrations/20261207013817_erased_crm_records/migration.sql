-- CreateTable
CREATE TABLE "erased_crm_record" (
    "workspaceId" TEXT NOT NULL,
    "crm" "CrmKind" NOT NULL,
    "externalId" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "erased_crm_record_pkey" PRIMARY KEY ("workspaceId","crm","externalId")
);

-- AddForeignKey
ALTER TABLE "erased_crm_record" ADD CONSTRAINT "erased_crm_record_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
