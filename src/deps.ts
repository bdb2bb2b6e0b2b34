import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import { ApiKeyRepository } from "./db/repositories/api-key-repository.ts";
import { CampaignRepository } from "./db/repositories/campaign-repository.ts";
import { ContextNoteRepository } from "./db/repositories/context-note-repository.ts";
import { CrmConnectionRepository } from "./db/repositories/crm-connection-repository.ts";
import { DefinitionRepository } from "./db/repositories/definition-repository.ts";
import { DigestRunRepository } from "./db/repositories/digest-run-repository.ts";
import { DigestScheduleRepository } from "./db/repositories/digest-schedule-repository.ts";
import { FeedbackRepository } from "./db/repositories/feedback-repository.ts";
import { FigureRepository } from "./db/repositories/figure-repository.ts";
import { ImportRepository } from "./db/repositories/import-repository.ts";
import { InstallationRepository } from "./db/repositories/installation-repository.ts";
import { JobClaimRepository } from "./db/repositories/job-claim-repository.ts";
import { LeadRepository } from "./db/repositories/lead-repository.ts";
import { MetricRepository } from "./db/repositories/metric-repository.ts";
import { OutboxRepository } from "./db/repositories/outbox-repository.ts";
import { OutcomeRepository } from "./db/repositories/outcome-repository.ts";
import { ReasonRepository } from "./db/repositories/reason-repository.ts";
import { SlackRequestRepository } from "./db/repositories/slack-request-repository.ts";
import { WebhookRepository } from "./db/repositories/webhook-repository.ts";
import { WorkspaceRepository } from "./db/repositories/workspace-repository.ts";
import type { Logger } from "./log.ts";
import { AdminDirectory } from "./outbound/slack/admins.ts";
import { SlackDirectory } from "./outbound/slack/gateway.ts";

export interface Repositories {
  workspaces: WorkspaceRepository;
  apiKeys: ApiKeyRepository;
  outbox: OutboxRepository;
  webhooks: WebhookRepository;
  jobClaims: JobClaimRepository;
  installations: InstallationRepository;
  campaigns: CampaignRepository;
  metrics: MetricRepository;
  leads: LeadRepository;
  feedback: FeedbackRepository;
  outcomes: OutcomeRepository;
  reasons: ReasonRepository;
  definitions: DefinitionRepository;
  contextNotes: ContextNoteRepository;
  figures: FigureRepository;
  schedules: DigestScheduleRepository;
  digestRuns: DigestRunRepository;
  slackRequests: SlackRequestRepository;
  imports: ImportRepository;
  crmConnections: CrmConnectionRepository;
}

export function createRepositories({
  prisma,
  pool,
}: Pick<Database, "prisma" | "pool">): Repositories {
  return {
    workspaces: new WorkspaceRepository(prisma),
    apiKeys: new ApiKeyRepository(prisma),
    outbox: new OutboxRepository(prisma),
    webhooks: new WebhookRepository(prisma),
    jobClaims: new JobClaimRepository(prisma),
    installations: new InstallationRepository(prisma),
    campaigns: new CampaignRepository(prisma),
    metrics: new MetricRepository(prisma),
    leads: new LeadRepository(prisma),
    feedback: new FeedbackRepository(prisma, pool),
    outcomes: new OutcomeRepository(prisma),
    reasons: new ReasonRepository(prisma),
    definitions: new DefinitionRepository(prisma),
    contextNotes: new ContextNoteRepository(prisma),
    figures: new FigureRepository(prisma),
    schedules: new DigestScheduleRepository(prisma),
    digestRuns: new DigestRunRepository(prisma),
    slackRequests: new SlackRequestRepository(prisma),
    imports: new ImportRepository(prisma),
    crmConnections: new CrmConnectionRepository(prisma),
  };
}

/** Everything the app is made of, built once at start-up (the composition root). */
export interface Deps {
  config: Config;
  log: Logger;
  now: () => Date;
  db: Database;
  repos: Repositories;
  slack: SlackDirectory;
  admins: AdminDirectory;
}

export function createDeps(
  config: Config,
  db: Database,
  log: Logger,
  options: { now?: () => Date; slackTimeoutMs?: number } = {},
): Deps {
  const now = options.now ?? (() => new Date());
  const repos = createRepositories(db);
  const slack = new SlackDirectory(config, repos.installations, log, options.slackTimeoutMs);
  return {
    config,
    log,
    now,
    db,
    repos,
    slack,
    admins: new AdminDirectory(config.admins, slack, now),
  };
}
