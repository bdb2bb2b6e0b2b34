-- AlterTable
ALTER TABLE "digest_run" ADD COLUMN     "retryAt" TIMESTAMP(3);
