-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "MetricUnit" AS ENUM ('count', 'currency', 'percent', 'score');

-- CreateEnum
CREATE TYPE "MetricStage" AS ENUM ('awareness', 'engagement', 'lead', 'pipeline', 'revenue', 'advocacy', 'cost');

-- CreateEnum
CREATE TYPE "CustomerGoal" AS ENUM ('find', 'keep', 'grow');

-- CreateEnum
CREATE TYPE "MetricDirection" AS ENUM ('higher', 'lower');

-- CreateEnum
CREATE TYPE "MetricAggregation" AS ENUM ('sum', 'average', 'last');

-- CreateEnum
CREATE TYPE "Granularity" AS ENUM ('day', 'week');

-- CreateEnum
CREATE TYPE "DefinitionStatus" AS ENUM ('met', 'not_met', 'unknown');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('fit', 'not_yet', 'not_fit');

-- CreateEnum
CREATE TYPE "ReasonOwner" AS ENUM ('marketing', 'data', 'need', 'sales_process');

-- CreateEnum
CREATE TYPE "DefinitionState" AS ENUM ('proposed', 'active', 'superseded', 'declined');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('claimed', 'posted', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "workspace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "timezone" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "salesChannelId" TEXT,
    "marketingChannelId" TEXT,
    "salesTeam" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "marketingTeam" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "northStarMetricId" TEXT,
    "northStarWeeklyTarget" DECIMAL(20,4),
    "reviewSlaHours" INTEGER NOT NULL DEFAULT 48,
    "needsContextThresholdPct" INTEGER NOT NULL DEFAULT 25,
    "admins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "installedBy" TEXT,
    "webhookUrl" TEXT,
    "webhookSecret" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deactivatedAt" TIMESTAMP(3),

    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT,
    "enterpriseId" TEXT,
    "botUserId" TEXT,
    "installerUserId" TEXT,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_definition" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "unit" "MetricUnit" NOT NULL,
    "stage" "MetricStage" NOT NULL,
    "goal" "CustomerGoal" NOT NULL,
    "direction" "MetricDirection" NOT NULL,
    "aggregation" "MetricAggregation" NOT NULL,
    "owner" TEXT,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "metric_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kpi" (
    "workspaceId" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "weeklyTarget" DECIMAL(20,4),

    CONSTRAINT "kpi_pkey" PRIMARY KEY ("workspaceId","metricId")
);

-- CreateTable
CREATE TABLE "campaign" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT,
    "owner" TEXT,
    "startsOn" DATE,
    "endsOn" DATE,
    "budget" DECIMAL(20,4),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_value" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "campaignKey" TEXT NOT NULL DEFAULT '',
    "metricId" TEXT NOT NULL,
    "granularity" "Granularity" NOT NULL,
    "periodStart" DATE NOT NULL,
    "value" DECIMAL(20,4) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'api',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "metric_value_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "company" TEXT,
    "title" TEXT,
    "campaignId" TEXT,
    "owner" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "definitionStatus" "DefinitionStatus" NOT NULL DEFAULT 'unknown',
    "definitionFailures" JSONB NOT NULL DEFAULT '[]',
    "definitionVersion" INTEGER,
    "cardChannelId" TEXT,
    "cardTs" TEXT,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_feedback" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT,
    "userId" TEXT NOT NULL,
    "givenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "definitionStatus" "DefinitionStatus" NOT NULL,

    CONSTRAINT "lead_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reason" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "owner" "ReasonOwner" NOT NULL,
    "position" INTEGER NOT NULL,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreed_definition" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "state" "DefinitionState" NOT NULL DEFAULT 'proposed',
    "proposedBy" TEXT NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "agreed_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "context_note" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "date" DATE,
    "text" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "campaignId" TEXT,
    "metricId" TEXT,
    "sourceChannel" TEXT,
    "sourceTs" TEXT,
    "sourcePermalink" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "context_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_schedule" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "weekday" INTEGER,
    "time" TEXT,
    "cron" TEXT,
    "timezone" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "skipWeek" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "digest_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_run" (
    "id" TEXT NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'claimed',
    "late" BOOLEAN NOT NULL DEFAULT false,
    "messageTs" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "digest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_outbox" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "leadId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "card_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "leadId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_claim" (
    "key" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_claim_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "installation_workspaceId_idx" ON "installation"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "metric_definition_workspaceId_key_key" ON "metric_definition"("workspaceId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_workspaceId_key_key" ON "campaign"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "metric_value_workspaceId_metricId_periodStart_idx" ON "metric_value"("workspaceId", "metricId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "metric_value_workspaceId_campaignKey_metricId_granularity_p_key" ON "metric_value"("workspaceId", "campaignKey", "metricId", "granularity", "periodStart", "source");

-- CreateIndex
CREATE INDEX "lead_workspaceId_createdAt_idx" ON "lead"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "lead_workspaceId_email_idx" ON "lead"("workspaceId", "email");

-- CreateIndex
CREATE INDEX "lead_campaignId_createdAt_idx" ON "lead"("campaignId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "lead_workspaceId_externalId_key" ON "lead"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "lead_feedback_leadId_givenAt_idx" ON "lead_feedback"("leadId", "givenAt");

-- CreateIndex
CREATE INDEX "lead_feedback_workspaceId_givenAt_idx" ON "lead_feedback"("workspaceId", "givenAt");

-- CreateIndex
CREATE UNIQUE INDEX "reason_workspaceId_key_key" ON "reason"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "agreed_definition_workspaceId_state_idx" ON "agreed_definition"("workspaceId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "agreed_definition_workspaceId_version_key" ON "agreed_definition"("workspaceId", "version");

-- CreateIndex
CREATE INDEX "context_note_workspaceId_week_idx" ON "context_note"("workspaceId", "week");

-- CreateIndex
CREATE UNIQUE INDEX "digest_schedule_workspaceId_channelId_key" ON "digest_schedule"("workspaceId", "channelId");

-- CreateIndex
CREATE INDEX "digest_run_status_idx" ON "digest_run"("status");

-- CreateIndex
CREATE UNIQUE INDEX "digest_run_scheduleId_week_key" ON "digest_run"("scheduleId", "week");

-- CreateIndex
CREATE INDEX "card_outbox_status_nextAttemptAt_idx" ON "card_outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "card_outbox_workspaceId_dedupeKey_key" ON "card_outbox"("workspaceId", "dedupeKey");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_nextAttemptAt_idx" ON "webhook_delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "webhook_delivery_leadId_idx" ON "webhook_delivery"("leadId");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_keyHash_key" ON "api_key"("keyHash");

-- CreateIndex
CREATE INDEX "api_key_workspaceId_idx" ON "api_key"("workspaceId");

-- CreateIndex
CREATE INDEX "audit_entry_workspaceId_createdAt_idx" ON "audit_entry"("workspaceId", "createdAt");

-- AddForeignKey
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_northStarMetricId_fkey" FOREIGN KEY ("northStarMetricId") REFERENCES "metric_definition"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation" ADD CONSTRAINT "installation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_definition" ADD CONSTRAINT "metric_definition_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kpi" ADD CONSTRAINT "kpi_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kpi" ADD CONSTRAINT "kpi_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "metric_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_value" ADD CONSTRAINT "metric_value_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_value" ADD CONSTRAINT "metric_value_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "metric_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_feedback" ADD CONSTRAINT "lead_feedback_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_feedback" ADD CONSTRAINT "lead_feedback_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reason" ADD CONSTRAINT "reason_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreed_definition" ADD CONSTRAINT "agreed_definition_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "context_note" ADD CONSTRAINT "context_note_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "context_note" ADD CONSTRAINT "context_note_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "context_note" ADD CONSTRAINT "context_note_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "metric_definition"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_schedule" ADD CONSTRAINT "digest_schedule_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_run" ADD CONSTRAINT "digest_run_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "digest_schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_outbox" ADD CONSTRAINT "card_outbox_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
