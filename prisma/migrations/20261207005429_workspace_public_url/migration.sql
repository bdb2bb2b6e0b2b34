-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "publicUrl" TEXT;
