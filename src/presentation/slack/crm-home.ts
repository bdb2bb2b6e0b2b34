import type { KnownBlock } from "@slack/types";
import { CRM_LABELS } from "../../domain/crm-connection.ts";
import type { CrmStatus } from "../../domain/crm-verdict-write.ts";
import { ACTIONS } from "./ids.ts";
import {
  button,
  escapeAndTruncate,
  mrkdwn,
  plain,
  slackDate,
  truncate,
  userMention,
  VERDICT_EMOJI,
} from "./text.ts";

/**
 * The CRM on admins' App Home: the connection's state (last sync, what it moved, its last error),
 * verdicts written back, waiting and failed, and the failed ones with the CRM's message and a
 * button to try them again.
 */
export function crmBlocks(crm: CrmStatus | null): KnownBlock[] {
  if (!crm) {
    return [
      {
        type: "section",
        text: mrkdwn(
          "*CRM*\nNot connected: `leadfit crm connect hubspot|salesforce` brings leads in and writes verdicts back.",
        ),
      },
    ];
  }
  const { connection, writes, failedWrites } = crm;
  const c = connection.counts;
  const state = [
    `*CRM: ${CRM_LABELS[connection.kind]}* (${escapeAndTruncate(connection.account, 100)}), connected by ${connection.connectedBy === "cli" ? "the command line" : userMention(connection.connectedBy)}`,
    connection.lastSyncAt ? `Last sync ${slackDate(connection.lastSyncAt)}` : "Not synced yet",
    `Leads: ${c.leadsCreated} created, ${c.leadsUpdated} updated, ${c.leadsRemoved} removed · outcomes: ${c.outcomes}`,
    `Verdicts written back: ${writes.written} · ${writes.pending} waiting · ${writes.failed} failed`,
    ...(connection.lastError && connection.lastErrorAt
      ? [
          `⚠️ The last sync failed ${slackDate(connection.lastErrorAt)}: ${escapeAndTruncate(connection.lastError, 500)}`,
        ]
      : []),
  ];
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(truncate(state.join("\n"), 3000)) },
  ];
  if (failedWrites.length > 0) {
    const lines = failedWrites.map(
      (f) =>
        `• ${escapeAndTruncate(f.email, 100)} ${VERDICT_EMOJI[f.verdict]} ${slackDate(f.givenAt)}: ${escapeAndTruncate(f.lastError ?? "unknown", 300)}`,
    );
    const more = writes.failed - failedWrites.length;
    blocks.push({
      type: "section",
      text: mrkdwn(
        truncate(
          `*Verdicts the CRM did not take*${more > 0 ? ` (${more} more not shown)` : ""}\n${lines.join("\n")}`,
          3000,
        ),
      ),
      accessory: button(ACTIONS.crmWritesRetry, "Retry", {
        confirm: {
          title: plain("Write them again?"),
          text: plain(
            "Every failed verdict is queued for the CRM again. Fix what it refused first.",
          ),
          confirm: plain("Retry"),
          deny: plain("Cancel"),
        },
      }),
    });
  }
  return blocks;
}
