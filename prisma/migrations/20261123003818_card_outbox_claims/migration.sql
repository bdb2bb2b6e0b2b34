-- AlterEnum
ALTER TYPE "OutboxStatus" ADD VALUE 'sending';

-- AlterTable
ALTER TABLE "card_outbox" ADD COLUMN     "channelId" TEXT,
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "messageTs" TEXT;
