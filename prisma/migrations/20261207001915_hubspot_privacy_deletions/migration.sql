-- AlterTable
ALTER TABLE "hubspot_change" ADD COLUMN     "privacyDeleted" BOOLEAN NOT NULL DEFAULT false;
