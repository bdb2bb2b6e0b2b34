import type { ModalView } from "@slack/types";
import { noticeModal } from "../presentation/slack/notice.ts";
import { escapeMrkdwn } from "../presentation/slack/text.ts";
import type { CrmSyncReport, SyncDeps } from "./crm-sync/store-page.ts";

/** What a sync moved, in a sentence or three (its error is said apart). */
function describeSync(report: CrmSyncReport): string {
  if (report.kind === "busy")
    return "Another sync of this workspace is running; try again when it ends.";
  const c = report.counts;
  const skipped =
    report.skipped > 0 ? ` Skipped ${report.skipped} (first: ${report.firstSkipReason}).` : "";
  const kept =
    report.leadsKept > 0
      ? ` Kept ${report.leadsKept} leads deleted in the CRM for their verdicts or outcomes (leadfit lead delete <external id> removes one).`
      : "";
  return `Leads: ${c.leadsCreated} created, ${c.leadsUpdated} updated, ${c.leadsRemoved} removed; outcomes: ${c.outcomes} stored or changed.${kept}${skipped}`;
}

/**
 * Syncs a workspace's CRM now, as asked by a person (the command line, App Home's Sync now), and
 * says what it moved. The vendors' clients load with the first sync (sync-connected-crms.ts).
 */
export async function syncCrmNow(
  deps: SyncDeps,
  input: { workspaceId: string; full?: boolean },
): Promise<{ report: CrmSyncReport; summary: string }> {
  const { syncCrm } = await import("./sync-crm.ts");
  const report = await syncCrm(deps, input);
  return { report, summary: describeSync(report) };
}

/** App Home's Sync now: the sync's summary as the modal shows it. */
export async function syncCrmFromHome(
  deps: SyncDeps,
  input: { workspaceId: string },
): Promise<ModalView> {
  const { report, summary } = await syncCrmNow(deps, input);
  const stopped = report.error ? `\nThe sync stopped: ${report.error}` : "";
  return noticeModal(
    report.error ? "CRM sync failed" : "CRM sync",
    escapeMrkdwn(`${summary}${stopped}`),
  );
}
