-- CreateTable
CREATE TABLE "handled_slack_request" (
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "handled_slack_request_pkey" PRIMARY KEY ("workspaceId","key")
);

-- CreateIndex
CREATE INDEX "handled_slack_request_handledAt_idx" ON "handled_slack_request"("handledAt");

-- AddForeignKey
ALTER TABLE "handled_slack_request" ADD CONSTRAINT "handled_slack_request_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
