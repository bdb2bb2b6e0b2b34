import type { ActionsBlock, KnownBlock } from "@slack/types";
import { CRM_KINDS, CRM_LABELS, type CrmKind } from "../../domain/crm-connection.ts";
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

/** The buttons offering each CRM: its token form, and its OAuth authorize modal. */
const CONNECT_ACTIONS: Record<CrmKind, { token: string; authorize: string }> = {
  hubspot: { token: ACTIONS.crmConnectHubSpot, authorize: ACTIONS.crmAuthorizeHubSpot },
  salesforce: { token: ACTIONS.crmConnectSalesforce, authorize: ACTIONS.crmAuthorizeSalesforce },
};

/** What each CRM's "Authorize with …" still needs set (environment variables); none: offered. */
export type CrmAuthorizeMissing = Record<CrmKind, readonly string[]>;

const listed = (names: readonly string[]) =>
  new Intl.ListFormat("en").format(names.map((name) => `\`${name}\``));

/** Without a connection: each CRM's token form, its authorize button when ready, else what to set. */
function connectBlocks(authorizeMissing: CrmAuthorizeMissing): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: mrkdwn(
        "*CRM*\nNot connected. Connect HubSpot or Salesforce to bring its leads and outcomes in and write verdicts back: *Connect* takes a token, *Authorize* signs in on the CRM's own page (OAuth), and `leadfit crm connect` does either on the command line.",
      ),
    },
    {
      type: "actions",
      elements: CRM_KINDS.flatMap((kind) => {
        const label = CRM_LABELS[kind];
        const token = button(CONNECT_ACTIONS[kind].token, `Connect ${label}`);
        return authorizeMissing[kind].length === 0
          ? [token, button(CONNECT_ACTIONS[kind].authorize, `Authorize with ${label}`)]
          : [token];
      }),
    },
  ];
  const unset = CRM_KINDS.filter((kind) => authorizeMissing[kind].length > 0).map((kind) =>
    mrkdwn(
      `To authorize with ${CRM_LABELS[kind]} here (OAuth), set ${listed(authorizeMissing[kind])}.`,
    ),
  );
  if (unset.length > 0) blocks.push({ type: "context", elements: unset });
  return blocks;
}

/**
 * The CRM on admins' App Home: without a connection, the ways to connect one; with one, its state
 * (last sync, what it moved, its last error), Sync now and Disconnect, verdicts written back,
 * waiting and failed, and the failed ones with the CRM's message and a button to try them again.
 */
export function crmBlocks(
  crm: CrmStatus | null,
  authorizeMissing: CrmAuthorizeMissing,
): KnownBlock[] {
  if (!crm) return connectBlocks(authorizeMissing);
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
    connectionActions(CRM_LABELS[connection.kind]),
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

function connectionActions(crm: string): ActionsBlock {
  return {
    type: "actions",
    elements: [
      button(ACTIONS.crmSyncNow, "Sync now"),
      button(ACTIONS.crmDisconnect, "Disconnect", {
        style: "danger",
        confirm: {
          title: plain(truncate(`Disconnect ${crm}?`, 100)),
          text: plain(
            "Leadfit deletes the credentials and stops syncing and writing verdicts back. Leads, verdicts and outcomes stay. Connecting again reads the backfill period again.",
          ),
          confirm: plain("Disconnect"),
          deny: plain("Cancel"),
          style: "danger",
        },
      }),
    ],
  };
}
