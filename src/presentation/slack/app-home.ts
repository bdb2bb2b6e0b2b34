import type { HomeView, KnownBlock } from "@slack/types";
import type { CrmStatus } from "../../domain/crm-verdict-write.ts";
import type { RunStatus } from "../../domain/digest-schedule.ts";
import { fitRate, formatPercent, reviewCoverage } from "../../domain/figures.ts";
import type { HindsightReport } from "../../domain/hindsight.ts";
import type { Lead, NotYetCameBack } from "../../domain/lead.ts";
import { campaignAliasBlocks } from "./campaign-alias-home.ts";
import { type CrmAuthorizeMissing, crmBlocks } from "./crm-home.ts";
import { DIVIDER } from "./digest-text.ts";
import { hindsightHomePanel } from "./hindsight.ts";
import { ACTIONS } from "./ids.ts";
import { backFromNotYetText, leadHeadline, verdictButtons } from "./lead-card.ts";
import { MAX_VIEW_BLOCKS } from "./limits.ts";
import {
  button,
  channelMention,
  definitionLine,
  escapeAndTruncate,
  mrkdwn,
  plain,
  plural,
  present,
  slackDate,
  truncate,
  VERDICT_EMOJI,
} from "./text.ts";

export interface HomeLead {
  lead: Lead;
  campaignName: string | null;
  /** Set when the lead is back from not yet: the verdict that put it off. */
  backFromNotYet: NotYetCameBack | null;
}

export interface AppHomeInput {
  viewerId: string;
  isAdmin: boolean;
  leads: HomeLead[];
  totalWaiting: number;
  offset: number;
  pageSize: number;
  week: {
    label: string;
    created: number;
    reviewed: number;
    fit: number;
    notYet: number;
    notFit: number;
  };
  /** Mrkdwn written by the app (user data in it already escaped), shown to admins with ⚠️. */
  adminNotices: string[];
  /** What only admins see: API keys, the webhook and what failed. */
  admin?: AdminHome;
  /** The last mature quarter's hindsight, when there is one to show. */
  hindsight: { quarter: string; report: HindsightReport } | null;
}

export interface AdminHome {
  apiKeys: { id: string; label: string; prefix: string; lastUsedAt: Date | null }[];
  webhook: {
    url: string | null;
    pending: number;
    delivered: number;
    failed: number;
    lastError: string | null;
  };
  failedCards: { kind: string; lastError: string | null }[];
  /** The CRM connection and its verdicts' writes; null when none. */
  crm: CrmStatus | null;
  /** What each CRM's OAuth authorize button still needs set; offered when nothing. */
  crmAuthorizeMissing: CrmAuthorizeMissing;
  /** Campaign names mapped to campaign keys, by name. */
  campaignAliases: { name: string; campaignKey: string }[];
  schedules: HomeSchedule[];
  failedRuns: HomeFailedRun[];
}

/** A digest schedule as admins see it, with its next and last digest. */
export interface HomeSchedule {
  id: string;
  channelId: string;
  /** "Mondays at 09:00" or the cron expression. */
  timing: string;
  timeZone: string;
  enabled: boolean;
  next: Date | null;
  /** The week the next digest reports. */
  nextWeek: string | null;
  /** Whether that week is skipped. */
  skipping: boolean;
  last: { week: string; status: RunStatus; late: boolean } | null;
}

export interface HomeFailedRun {
  runId: string;
  channelId: string;
  week: string;
  error: string | null;
  /** When it is tried again; null when only a person can fix it. */
  retryAt: Date | null;
}

const MAX_LISTED_KEYS = 5;
/** Schedules shown with their buttons; one per digest channel, so rarely more. */
export const MAX_LISTED_SCHEDULES = 10;

/** Admin notices shown in full; the rest are counted. */
export const MAX_ADMIN_NOTICES = 5;

const MAX_NOTICE = 1000;

function leadSection(item: HomeLead, viewerId: string): KnownBlock {
  const { lead } = item;
  const own = lead.owner !== null && lead.owner === viewerId ? " · _yours_" : "";
  const campaign = present(item.campaignName);
  const where = campaign ? `${escapeAndTruncate(campaign, 150)} · ` : "";
  return {
    type: "section",
    text: mrkdwn(
      [
        `${leadHeadline(lead)}${own}`,
        `${where}created ${slackDate(lead.createdAt)}`,
        escapeAndTruncate(definitionLine(lead.definition), 500),
        ...(item.backFromNotYet ? [backFromNotYetText(item.backFromNotYet)] : []),
      ].join("\n"),
    ),
  };
}

function noticeBlocks(notices: readonly string[]): KnownBlock[] {
  const shown = notices.filter((n) => n.trim() !== "");
  const blocks: KnownBlock[] = shown.slice(0, MAX_ADMIN_NOTICES).map((notice) => ({
    type: "section",
    text: mrkdwn(`⚠️ ${truncate(notice.trim(), MAX_NOTICE)}`),
  }));
  const more = shown.length - MAX_ADMIN_NOTICES;
  if (more > 0) {
    blocks.push({
      type: "context",
      elements: [mrkdwn(`⚠️ and ${plural(more, "more notice")}`)],
    });
  }
  return blocks;
}

function weekBlocks(week: AppHomeInput["week"]): KnownBlock[] {
  const coverage = formatPercent(reviewCoverage(week.reviewed, week.created));
  const rate = formatPercent(fitRate(week));
  return [
    {
      type: "section",
      text: mrkdwn(`*This week (${escapeAndTruncate(week.label, 100)})*`),
      fields: [
        mrkdwn(`*Leads created*\n${week.created}`),
        mrkdwn(`*Reviewed*\n${week.reviewed} (${coverage})`),
        mrkdwn(`*Fit rate*\n${rate}`),
        mrkdwn(
          `*Verdicts*\n${VERDICT_EMOJI.fit} ${week.fit} · ${VERDICT_EMOJI.not_yet} ${week.notYet} · ${VERDICT_EMOJI.not_fit} ${week.notFit}`,
        ),
      ],
    },
    {
      type: "context",
      elements: [
        mrkdwn(
          "Fit rate = good fit ÷ (good fit + not a fit). Not yet is left out of the fit rate: right profile, wrong timing is not a bad lead.",
        ),
      ],
    },
  ];
}

function settingsBlocks(admin: AdminHome | undefined): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: "divider" },
    {
      type: "section",
      text: mrkdwn("*Settings*\nChannels, teams, timezone, North Star and KPIs, review SLA."),
      accessory: button(ACTIONS.homeOpenSettings, "Open settings"),
    },
  ];
  if (!admin) return blocks;
  blocks.push(
    ...scheduleBlocks(admin),
    ...crmBlocks(admin.crm, admin.crmAuthorizeMissing),
    ...campaignAliasBlocks(admin.campaignAliases),
  );
  const keys = admin.apiKeys.slice(0, MAX_LISTED_KEYS);
  const more = admin.apiKeys.length - keys.length;
  blocks.push({
    type: "section",
    text: mrkdwn(
      [
        "*Ingestion API keys*",
        ...(keys.length === 0 ? ["None yet: create one for your CRM or ad platforms."] : []),
        ...(more > 0 ? [`${more} more not shown (\`leadfit api-key list\`)`] : []),
      ].join("\n"),
    ),
    accessory: button(ACTIONS.homeCreateApiKey, "Create key"),
  });
  // One block per key: Slack wants a button's action id unique within its block.
  for (const k of keys) {
    blocks.push({
      type: "section",
      text: mrkdwn(
        `• ${escapeAndTruncate(k.label, 80)} (\`${escapeAndTruncate(k.prefix, 20)}…\`), ${k.lastUsedAt ? `last used ${slackDate(k.lastUsedAt)}` : "never used"}`,
      ),
      accessory: button(ACTIONS.homeRevokeApiKey, "Revoke", {
        value: k.id,
        style: "danger",
        confirm: {
          title: plain("Revoke this key?"),
          text: plain(truncate(`${k.label} stops working at once.`, 300)),
          confirm: plain("Revoke"),
          deny: plain("Keep it"),
        },
      }),
    });
  }
  const { webhook } = admin;
  const status = webhook.url
    ? `${escapeAndTruncate(webhook.url, 200)}\n${webhook.delivered} delivered · ${webhook.pending} waiting · ${webhook.failed} failed${webhook.lastError ? `\nLast problem: ${escapeAndTruncate(webhook.lastError, 300)}` : ""}`
    : "Not set: verdicts are not sent anywhere.";
  blocks.push({
    type: "section",
    text: mrkdwn(`*Verdicts webhook*\n${status}`),
    accessory: button(ACTIONS.homeConfigureWebhook, "Configure"),
  });
  if (admin.failedCards.length > 0) {
    const lines = admin.failedCards.map(
      (f) =>
        `• ${escapeAndTruncate(f.kind.replace("_", " "), 40)}: ${escapeAndTruncate(f.lastError ?? "unknown", 200)}`,
    );
    blocks.push({
      type: "section",
      text: mrkdwn(truncate(`*Lead cards that could not be posted*\n${lines.join("\n")}`, 3000)),
    });
  }
  return blocks;
}

const LAST_RUN: Record<RunStatus, string> = {
  posted: "posted",
  failed: "failed",
  skipped: "skipped",
  claimed: "posting",
};

function scheduleLine(s: HomeSchedule): string {
  const head = `*${channelMention(s.channelId)}* · ${escapeAndTruncate(s.timing, 150)} (${escapeAndTruncate(s.timeZone, 60)})`;
  const next = !s.enabled
    ? "⏸ Off"
    : s.next && s.nextWeek
      ? `Next: ${slackDate(s.next)}, reporting ${s.nextWeek}${s.skipping ? " — ⏭ skipped" : ""}`
      : "No time in the coming weeks";
  const last = s.last
    ? ` · Last: ${s.last.week} ${LAST_RUN[s.last.status]}${s.last.late ? " (late)" : ""}`
    : "";
  return `${head}\n${next}${last}`;
}

function scheduleBlocks(admin: AdminHome): KnownBlock[] {
  const shown = admin.schedules.slice(0, MAX_LISTED_SCHEDULES);
  const more = admin.schedules.length - shown.length;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: mrkdwn(
        admin.schedules.length === 0
          ? "*Digest schedules*\nNo digest channel yet: add a schedule and the weekly digest is posted there."
          : `*Digest schedules*${more > 0 ? ` (${more} more not shown)` : ""}`,
      ),
      accessory: button(ACTIONS.scheduleAdd, "Add schedule"),
    },
  ];
  for (const s of shown) {
    blocks.push(
      {
        type: "section",
        text: mrkdwn(truncate(scheduleLine(s), 3000)),
        accessory: button(ACTIONS.scheduleEdit, "Edit", { value: s.id }),
      },
      {
        type: "actions",
        elements: [
          button(ACTIONS.schedulePreview, "Preview", { value: s.id }),
          button(ACTIONS.scheduleSendNow, "Send now", {
            value: s.id,
            confirm: {
              title: plain("Send the digest now?"),
              text: plain(
                "The last complete week's digest is posted to the channel now. The scheduled one still goes out at its time.",
              ),
              confirm: plain("Send"),
              deny: plain("Cancel"),
            },
          }),
          ...(s.enabled && s.nextWeek
            ? [
                button(
                  ACTIONS.scheduleSkip,
                  s.skipping ? `Post ${s.nextWeek} after all` : `Skip ${s.nextWeek}`,
                  { value: s.id },
                ),
              ]
            : []),
          button(ACTIONS.scheduleDelete, "Delete", {
            value: s.id,
            style: "danger",
            confirm: {
              title: plain("Delete this schedule?"),
              text: plain("The channel gets no more digests."),
              confirm: plain("Delete"),
              deny: plain("Keep it"),
            },
          }),
        ],
      },
    );
  }
  if (admin.failedRuns.length > 0) {
    blocks.push({ type: "section", text: mrkdwn("*Digests that could not be posted*") });
    for (const f of admin.failedRuns) {
      blocks.push({
        type: "section",
        text: mrkdwn(
          `• ${channelMention(f.channelId)}, ${f.week}: ${escapeAndTruncate(f.error ?? "unknown", 300)} — ${
            f.retryAt ? `tried again ${slackDate(f.retryAt)}` : "fix it, then retry"
          }`,
        ),
        accessory: button(ACTIONS.digestRunRetry, "Retry", { value: f.runId }),
      });
    }
  }
  return blocks;
}

/**
 * The App Home: leads waiting for a verdict with the card's buttons, paged with "More"; this week's
 * figures; settings and notices for admins. Never more than 100 blocks: when the page would not
 * fit, fewer leads are shown and "More" continues right after the last one shown.
 */
export function appHome(input: AppHomeInput): HomeView {
  const notices = input.isAdmin ? noticeBlocks(input.adminNotices) : [];
  const week = [
    ...weekBlocks(input.week),
    ...(input.hindsight ? [DIVIDER, ...hindsightHomePanel(input.hindsight)] : []),
  ];
  const admin = input.isAdmin ? settingsBlocks(input.admin) : [];
  // header + page note + paging + divider, besides the notices, week and settings blocks.
  const fixed = notices.length + 4 + week.length + admin.length;
  const room = Math.max(0, Math.floor((MAX_VIEW_BLOCKS - fixed) / 2));
  const leads = input.leads.slice(0, Math.min(room, Math.max(1, input.pageSize)));
  const offset = Math.max(0, input.offset);
  const next = offset + leads.length;

  const blocks: KnownBlock[] = [
    ...notices,
    {
      type: "header",
      text: plain(`Leads waiting for a verdict (${input.totalWaiting})`),
    },
  ];
  if (leads.length === 0) {
    blocks.push({
      type: "section",
      text: mrkdwn(
        input.totalWaiting === 0
          ? "Nothing waiting — every lead has a verdict. 🎉"
          : "No more leads on this page.",
      ),
    });
  } else {
    if (input.totalWaiting > leads.length) {
      blocks.push({
        type: "context",
        elements: [
          mrkdwn(
            `Showing ${offset + 1}–${next} of ${input.totalWaiting}, oldest first, your own leads first.`,
          ),
        ],
      });
    }
    for (const item of leads) {
      blocks.push(leadSection(item, input.viewerId), verdictButtons(item.lead.id));
    }
  }
  if (next < input.totalWaiting && leads.length > 0) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTIONS.homeMoreLeads,
          text: plain("More"),
          value: String(next),
        },
      ],
    });
  } else if (offset > 0 && input.totalWaiting > 0) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTIONS.homeMoreLeads,
          text: plain("Back to the oldest"),
          value: "0",
        },
      ],
    });
  }
  blocks.push({ type: "divider" }, ...week, ...admin);
  return { type: "home", blocks };
}

/** A digest's "Review pending leads": how many wait, and where. */
export function pendingLeadsNote(total: number): string {
  return total === 0
    ? "Every lead has a verdict. 🎉"
    : `${total} lead${total === 1 ? "" : "s"} wait for a verdict — your own first — in Leadfit's *Home* tab, ten at a time with ✅ ⏳ ❌ on each.`;
}
