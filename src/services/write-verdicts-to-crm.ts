import type { CrmConfig } from "../config.ts";
import type { DueCrmWrite } from "../db/repositories/crm-verdict-write-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { isAppError } from "../domain/app-error.ts";
import {
  CRM_LABELS,
  type CrmCredentials,
  openCredentials,
  requireEncryptionKey,
  sealCredentials,
} from "../domain/crm-connection.ts";
import {
  CRM_WRITE_MAX_ATTEMPTS,
  HUBSPOT_PROPERTY_GROUP,
  HUBSPOT_VERDICT_PROPERTIES,
  hubspotVerdictProperties,
  nextCrmWriteAt,
  type SalesforceVerdictTarget,
  salesforceVerdictFields,
  type VerdictWrite,
} from "../domain/crm-verdict-write.ts";
import { crmMappingOf } from "../imports/crm-mapping.ts";
import type { Logger } from "../log.ts";
import { type CrmClient, type CrmClientTuning, crmClientFor } from "../outbound/crm/clients.ts";

const BATCH = 20;
/** Failures that only a person can fix: trying the same write again would meet the same answer. */
const FINAL: ReadonlySet<string> = new Set([
  "crm_refused",
  "crm_response_invalid",
  "crm_credentials_unreadable",
  "encryption_key_missing",
]);
export interface CrmWriteReport {
  written: number;
  retrying: number;
  failed: number;
}

export interface CrmWriteOptions {
  /**
   * How long a claimed write is held before another drain may send it again: a process killed
   * mid-write leaves its claim to run out (one minute unless set; a test sets a short one).
   */
  claimMs?: number;
}

interface WriteDeps {
  repos: Repositories;
  config: { crm: CrmConfig };
  now: () => Date;
  log: Logger;
  tuning?: CrmClientTuning;
}

/**
 * Writes queued verdicts back to the CRM records their leads came from, after the Slack
 * interaction was acknowledged: each write is claimed, sent, then marked written. A 429 or 5xx
 * is retried by the CRM's client (Retry-After honoured) and then by the queue with backoff for
 * about a day; an expired token is renewed; a write the CRM refuses (a missing field, a deleted
 * record) is marked failed with the CRM's message, where admins see it and can retry it.
 */
export async function writeVerdictsToCrm(
  deps: WriteDeps,
  input: CrmWriteOptions = {},
): Promise<CrmWriteReport> {
  const report: CrmWriteReport = { written: 0, retrying: 0, failed: 0 };
  for (;;) {
    const due = await deps.repos.crmVerdictWrites.claim(deps.now(), BATCH, input.claimMs);
    if (due.length === 0) return report;
    const byWorkspace = new Map<string, DueCrmWrite[]>();
    for (const write of due) {
      byWorkspace.set(write.workspaceId, [...(byWorkspace.get(write.workspaceId) ?? []), write]);
    }
    await Promise.all(
      [...byWorkspace].map(([workspaceId, writes]) =>
        writeForWorkspace(deps, workspaceId, writes, report),
      ),
    );
  }
}

async function writeForWorkspace(
  deps: WriteDeps,
  workspaceId: string,
  writes: readonly DueCrmWrite[],
  report: CrmWriteReport,
): Promise<void> {
  const { repos } = deps;
  const connection = await repos.crmConnections.get(workspaceId);
  const current = writes.filter((w) => w.crm === connection?.kind);
  for (const write of writes.filter((w) => !current.includes(w))) {
    await repos.crmVerdictWrites.markFailed(
      write.feedbackId,
      `The workspace is no longer connected to ${CRM_LABELS[write.crm]}: connect it again, then retry.`,
    );
    report.failed += 1;
  }
  if (!connection || current.length === 0) return;
  let client: CrmClient;
  let salesforceTarget: SalesforceVerdictTarget | undefined;
  try {
    salesforceTarget = crmMappingOf(connection.kind, connection.mapping).verdicts;
    const key = requireEncryptionKey(deps.config.crm.encryptionKey);
    client = crmClientFor(
      deps.config.crm,
      openCredentials(key, connection.sealedCredentials),
      (renewed: CrmCredentials) =>
        repos.crmConnections.replaceCredentials(workspaceId, sealCredentials(key, renewed)),
      deps.tuning,
    );
    if (client.kind === "hubspot" && connection.fieldsReadyAt === null) {
      await client.hubspot.ensureProperties(HUBSPOT_PROPERTY_GROUP, HUBSPOT_VERDICT_PROPERTIES);
      await repos.crmConnections.setFieldsReady(workspaceId, deps.now());
    }
  } catch (error) {
    for (const write of current) await settle(deps, write, error, report);
    return;
  }
  const labels = new Map(
    (await repos.reasons.list(workspaceId, { includeRetired: true })).map((r) => [r.key, r.label]),
  );
  for (const [index, write] of current.entries()) {
    const values: VerdictWrite = {
      verdict: write.verdict,
      reasons: write.reasons.map((key) => labels.get(key) ?? key),
      judgedBy: write.userId,
      judgedAt: write.givenAt,
      definitionStatus: write.definitionStatus,
    };
    try {
      if (client.kind === "hubspot") {
        await client.hubspot.updateContact(write.recordId, hubspotVerdictProperties(values));
      } else {
        await client.salesforce.update(
          "Lead",
          write.recordId,
          salesforceVerdictFields(values, salesforceTarget),
        );
      }
      await repos.crmVerdictWrites.markWritten(write.feedbackId, deps.now());
      report.written += 1;
    } catch (error) {
      const final = await settle(deps, write, error, report);
      // HubSpot refused: perhaps someone deleted a property, so they are checked again next time.
      if (final && client.kind === "hubspot")
        await repos.crmConnections.setFieldsReady(workspaceId, null);
      if (!final) {
        // The CRM is down or out of allowance: the rest of this round waits too.
        for (const rest of current.slice(index + 1)) await settle(deps, rest, error, report);
        return;
      }
    }
  }
}

/** Records a failed write: failed for good when only a person can fix it, else tried again later. */
async function settle(
  deps: WriteDeps,
  write: DueCrmWrite,
  error: unknown,
  report: CrmWriteReport,
): Promise<boolean> {
  const { crmVerdictWrites } = deps.repos;
  if (!isAppError(error)) {
    deps.log.error("Writing a verdict to the CRM failed", {
      workspaceId: write.workspaceId,
      error: String(error),
    });
  }
  const message = isAppError(error) ? error.userMessage : String(error);
  const final = isAppError(error) && FINAL.has(error.code);
  if (final || write.attempts >= CRM_WRITE_MAX_ATTEMPTS) {
    await crmVerdictWrites.markFailed(write.feedbackId, message);
    report.failed += 1;
  } else {
    await crmVerdictWrites.retryLater(
      write.feedbackId,
      message,
      nextCrmWriteAt(deps.now(), write.attempts),
    );
    report.retrying += 1;
  }
  return final;
}
