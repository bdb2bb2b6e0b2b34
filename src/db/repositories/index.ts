import type { Db } from "../client-or-transaction.ts";
import type { Database } from "../database.ts";
import { type RetryPolicy, withTransaction } from "../retry.ts";
import { AgreedDefinitionRepository } from "./agreed-definition-repository.ts";
import { ApiKeyRepository } from "./api-key-repository.ts";
import { CampaignAliasRepository } from "./campaign-alias-repository.ts";
import { CampaignRepository } from "./campaign-repository.ts";
import { ContextNoteRepository } from "./context-note-repository.ts";
import { CrmConnectionRepository } from "./crm-connection-repository.ts";
import { CrmVerdictWriteRepository } from "./crm-verdict-write-repository.ts";
import { DigestRunRepository } from "./digest-run-repository.ts";
import { DigestScheduleRepository } from "./digest-schedule-repository.ts";
import { FigureRepository } from "./figure-repository.ts";
import { HindsightRepository } from "./hindsight-repository.ts";
import { HubSpotChangeRepository } from "./hubspot-change-repository.ts";
import { ImportRepository } from "./import-repository.ts";
import { InstallationRepository } from "./installation-repository.ts";
import { JobClaimRepository } from "./job-claim-repository.ts";
import { LeadFeedbackRepository } from "./lead-feedback-repository.ts";
import { LeadRepository } from "./lead-repository.ts";
import { MetricRepository } from "./metric-repository.ts";
import { OutboxRepository } from "./outbox-repository.ts";
import { OutcomeRepository } from "./outcome-repository.ts";
import { ReasonRepository } from "./reason-repository.ts";
import { SlackRequestRepository } from "./slack-request-repository.ts";
import { WebhookRepository } from "./webhook-repository.ts";
import { WorkspaceRepository } from "./workspace-repository.ts";

export interface Repositories {
  workspaces: WorkspaceRepository;
  apiKeys: ApiKeyRepository;
  outbox: OutboxRepository;
  webhooks: WebhookRepository;
  jobClaims: JobClaimRepository;
  installations: InstallationRepository;
  campaigns: CampaignRepository;
  campaignAliases: CampaignAliasRepository;
  metrics: MetricRepository;
  leads: LeadRepository;
  feedback: LeadFeedbackRepository;
  outcomes: OutcomeRepository;
  hindsight: HindsightRepository;
  reasons: ReasonRepository;
  agreedDefinitions: AgreedDefinitionRepository;
  contextNotes: ContextNoteRepository;
  figures: FigureRepository;
  schedules: DigestScheduleRepository;
  digestRuns: DigestRunRepository;
  slackRequests: SlackRequestRepository;
  imports: ImportRepository;
  crmConnections: CrmConnectionRepository;
  crmVerdictWrites: CrmVerdictWriteRepository;
  hubspotChanges: HubSpotChangeRepository;
}

/** What repositories are built over: the database's Prisma client and its connection pool. */
export type RepositorySource = Pick<Database, "prisma" | "pool">;

/** Every repository over the client, or over `client` when given (an open transaction). */
export function createRepositories(
  { prisma, pool }: RepositorySource,
  client: Db = prisma,
): Repositories {
  return {
    // The pool only outside a transaction: the embedded database's one connection is the
    // transaction's until it ends.
    workspaces: new WorkspaceRepository(client, client === prisma ? pool : undefined),
    apiKeys: new ApiKeyRepository(client),
    outbox: new OutboxRepository(client),
    webhooks: new WebhookRepository(client),
    jobClaims: new JobClaimRepository(client),
    installations: new InstallationRepository(client),
    campaigns: new CampaignRepository(client),
    campaignAliases: new CampaignAliasRepository(client),
    metrics: new MetricRepository(client),
    leads: new LeadRepository(client),
    feedback: new LeadFeedbackRepository(client, pool),
    outcomes: new OutcomeRepository(client),
    hindsight: new HindsightRepository(client),
    reasons: new ReasonRepository(client),
    agreedDefinitions: new AgreedDefinitionRepository(client),
    contextNotes: new ContextNoteRepository(client),
    figures: new FigureRepository(client, pool),
    schedules: new DigestScheduleRepository(client),
    digestRuns: new DigestRunRepository(client),
    slackRequests: new SlackRequestRepository(client),
    imports: new ImportRepository(client, pool),
    crmConnections: new CrmConnectionRepository(client),
    crmVerdictWrites: new CrmVerdictWriteRepository(client),
    hubspotChanges: new HubSpotChangeRepository(client),
  };
}

export interface TransactionOptions {
  timeout?: number;
  maxWait?: number;
  policy?: RetryPolicy;
}

/**
 * One transaction with every repository bound to it: all of `work`'s writes or none. Run again
 * from the start while the database refuses it for a retryable reason (see `withTransaction`), so
 * `work` must do nothing outside the database that cannot be repeated.
 */
export function transaction<T>(
  source: RepositorySource,
  work: (repos: Repositories) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return withTransaction(source.prisma, (tx) => work(createRepositories(source, tx)), options);
}
