-- CreateEnum
CREATE TYPE "ImportState" AS ENUM ('staging', 'applying', 'done');

-- CreateTable
CREATE TABLE "import_run" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" "ImportState" NOT NULL DEFAULT 'staging',
    "rows" INTEGER NOT NULL DEFAULT 0,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row" (
    "importId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "input" JSONB NOT NULL,

    CONSTRAINT "import_row_pkey" PRIMARY KEY ("importId","position")
);

-- CreateIndex
CREATE INDEX "import_run_state_leaseUntil_idx" ON "import_run"("state", "leaseUntil");

-- AddForeignKey
ALTER TABLE "import_run" ADD CONSTRAINT "import_run_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row" ADD CONSTRAINT "import_row_importId_fkey" FOREIGN KEY ("importId") REFERENCES "import_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
