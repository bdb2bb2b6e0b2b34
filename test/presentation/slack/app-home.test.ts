import type { ActionsBlock, Button, HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  type AdminHome,
  type AppHomeInput,
  appHome,
  type HomeLead,
  type HomeSchedule,
  MAX_LISTED_SCHEDULES,
} from "../../../src/presentation/slack/app-home.ts";
import { ACTIONS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { expectEscaped, HUGE, makeExtremeLead, makeLead, NOW, NOW_TOKEN } from "./fixtures.ts";

function homeLeads(n: number, extreme = false): HomeLead[] {
  return Array.from({ length: n }, (_, i) => ({
    lead: extreme
      ? makeExtremeLead({ id: `lead_${i}` })
      : makeLead({ id: `lead_${i}`, name: `Lead ${i}` }),
    campaignName: extreme ? HUGE : "q4-webinar",
    // Every other lead is back from not yet: the longest form a waiting lead takes.
    backFromNotYet: i % 2 === 1 ? { userId: "U2", givenAt: NOW, revisitOn: "2027-03-06" } : null,
  }));
}

function buttons(blocks: KnownBlock[] | unknown[]): Button[] {
  return (blocks as KnownBlock[]).flatMap((b) => {
    if (b.type === "actions") return (b as ActionsBlock).elements as Button[];
    if (b.type === "section" && b.accessory?.type === "button") return [b.accessory];
    return [];
  });
}

function moreButton(blocks: KnownBlock[] | unknown[]): Button | undefined {
  return buttons(blocks).find((b) => b.action_id === ACTIONS.homeMoreLeads);
}

function texts(blocks: KnownBlock[] | unknown[]): string[] {
  return (blocks as KnownBlock[])
    .filter((b): b is SectionBlock => b.type === "section")
    .map((b) => b.text?.text ?? "");
}

const week = { label: "2026-W47", created: 12, reviewed: 9, fit: 3, notYet: 4, notFit: 2 };
const base: AppHomeInput = {
  viewerId: "U1",
  isAdmin: false,
  leads: homeLeads(10),
  totalWaiting: 37,
  offset: 0,
  pageSize: 10,
  week,
  adminNotices: [],
  hindsight: null,
};

describe("appHome", () => {
  const view = appHome(base);

  it("lists the waiting leads with the card's verdict buttons", () => {
    expect(view.type).toBe("home");
    const header = view.blocks.find((b): b is HeaderBlock => b.type === "header");
    expect(header?.text.text).toBe("Leads waiting for a verdict (37)");
    const verdicts = buttons(view.blocks).filter((b) => b.action_id !== ACTIONS.homeMoreLeads);
    expect(verdicts).toHaveLength(30);
    expect(verdicts.slice(0, 3).map((b) => [b.action_id, b.value, b.style])).toEqual([
      [ACTIONS.verdictFit, "lead_0", "primary"],
      [ACTIONS.verdictNotYet, "lead_0", undefined],
      [ACTIONS.verdictNotFit, "lead_0", "danger"],
    ]);
    expect(verdicts.at(-1)?.value).toBe("lead_9");
    expect(texts(view.blocks)[0]).toBe(
      `*Lead 0* · CMO at Acme\nq4-webinar · created ${NOW_TOKEN}\n✓ Meets the agreed definition (v3)`,
    );
    expectWithinSlackLimits(view);
  });

  it("pages with More", () => {
    expect(moreButton(view.blocks)?.value).toBe("10");
    const second = appHome({ ...base, offset: 10 });
    expect(moreButton(second.blocks)?.value).toBe("20");
    expect(JSON.stringify(second.blocks)).toContain("Showing 11–20 of 37");
  });

  it("offers to go back to the start on the last page", () => {
    const last = appHome({ ...base, leads: homeLeads(7), offset: 30 });
    const back = moreButton(last.blocks);
    expect(back?.text.text).toBe("Back to the oldest");
    expect(back?.value).toBe("0");
    expectWithinSlackLimits(last);
  });

  it("shows no More when everything fits on one page", () => {
    const all = appHome({ ...base, leads: homeLeads(3), totalWaiting: 3 });
    expect(moreButton(all.blocks)).toBeUndefined();
  });

  it("marks the viewer's own leads", () => {
    const own = appHome({
      ...base,
      leads: [{ lead: makeLead({ owner: "U1" }), campaignName: null, backFromNotYet: null }],
      totalWaiting: 1,
    });
    expect(texts(own.blocks)[0]).toContain("· _yours_");
  });

  it("marks a lead back from not yet, with who put it off and its revisit date", () => {
    const home = appHome({ ...base, leads: homeLeads(2), totalWaiting: 2 });
    const [first, second] = texts(home.blocks);
    expect(first).not.toContain("Back from not yet");
    expect(second).toContain("🔁 *Back from not yet* — judged ⏳ by <@U2>");
    expect(second).toContain("to revisit on 6 Mar 2027");
    expect(buttons(home.blocks).filter((b) => b.value === "lead_1")).toHaveLength(3);
  });

  it("has an empty state", () => {
    const empty = appHome({ ...base, leads: [], totalWaiting: 0 });
    expect(texts(empty.blocks)).toContain("Nothing waiting — every lead has a verdict. 🎉");
    expect(moreButton(empty.blocks)).toBeUndefined();
    expectWithinSlackLimits(empty);
  });

  it("shows this week's figures, not yet left out of the fit rate", () => {
    const figures = (view.blocks as KnownBlock[]).find(
      (b): b is SectionBlock => b.type === "section" && Boolean(b.text?.text.includes("This week")),
    );
    expect(figures?.text?.text).toBe("*This week (2026-W47)*");
    expect(figures?.fields?.map((f) => f.text)).toEqual([
      "*Leads created*\n12",
      "*Reviewed*\n9 (75%)",
      "*Fit rate*\n60%",
      "*Verdicts*\n✅ 3 · ⏳ 4 · ❌ 2",
    ]);
    expect(JSON.stringify(view.blocks)).toContain("Not yet is left out of the fit rate");
    const noVerdicts = appHome({
      ...base,
      week: { ...week, created: 0, reviewed: 0, fit: 0, notYet: 0, notFit: 0 },
    });
    expect(JSON.stringify(noVerdicts.blocks)).toContain("*Fit rate*\\n—");
  });

  it("shows settings and notices to admins only", () => {
    const notice =
      "No sales channel is set, so lead cards cannot be posted: leads wait here. Pick one in Settings.";
    expect(buttons(view.blocks).some((b) => b.action_id === ACTIONS.homeOpenSettings)).toBe(false);
    expect(JSON.stringify(appHome({ ...base, adminNotices: [notice] }))).not.toContain(notice);
    const admin = appHome({ ...base, isAdmin: true, adminNotices: [notice] });
    expect(buttons(admin.blocks).some((b) => b.action_id === ACTIONS.homeOpenSettings)).toBe(true);
    expect(texts(admin.blocks)).toContain(`⚠️ ${notice}`);
    expectWithinSlackLimits(admin);
  });
});

describe("appHome with extreme data", () => {
  it("stays within 100 blocks with 40 leads and many notices", () => {
    const view = appHome({
      ...base,
      isAdmin: true,
      leads: homeLeads(40, true),
      totalWaiting: 5000,
      offset: 40,
      pageSize: 40,
      week: { ...week, label: HUGE },
      adminNotices: Array.from({ length: 30 }, (_, i) => `Notice ${i}: ${"x".repeat(5000)}`),
    });
    expectWithinSlackLimits(view);
    expectEscaped(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const verdicts = buttons(view.blocks).filter((b) => b.action_id === ACTIONS.verdictFit);
    expect(verdicts).toHaveLength(40);
    expect(moreButton(view.blocks)?.value).toBe("80");
  });

  it("shows fewer leads than asked rather than break the limit, and More continues after them", () => {
    const view = appHome({
      ...base,
      isAdmin: true,
      leads: homeLeads(60),
      totalWaiting: 500,
      offset: 100,
      pageSize: 60,
      adminNotices: ["One"],
    });
    expectWithinSlackLimits(view);
    const shown = buttons(view.blocks).filter((b) => b.action_id === ACTIONS.verdictFit).length;
    expect(shown).toBeLessThan(60);
    expect(moreButton(view.blocks)?.value).toBe(String(100 + shown));
  });
});

describe("appHome's digest schedules", () => {
  const schedule = (i: number, overrides: Partial<HomeSchedule> = {}): HomeSchedule => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    channelId: `C0DIGEST${i}`,
    timing: "Mondays at 09:00",
    timeZone: "Europe/Berlin",
    enabled: true,
    next: new Date("2026-11-30T08:00:00Z"),
    nextWeek: "2026-W48",
    skipping: false,
    last: { week: "2026-W47", status: "posted", late: false },
    ...overrides,
  });
  const admin = (overrides: Partial<AdminHome>): AdminHome => ({
    apiKeys: [],
    webhook: { url: null, pending: 0, delivered: 0, failed: 0, lastError: null },
    failedCards: [],
    crm: null,
    crmAuthorizeMissing: { hubspot: [], salesforce: [] },
    campaignAliases: [],
    schedules: [],
    failedRuns: [],
    ...overrides,
  });

  it("invites admins to add the first digest channel", () => {
    const view = appHome({ ...base, isAdmin: true, admin: admin({}) });
    expect(texts(view.blocks).join("\n")).toContain("No digest channel yet");
    expect(buttons(view.blocks).map((b) => b.action_id)).toContain(ACTIONS.scheduleAdd);
  });

  it("shows each schedule's timing, next and last digest, with its buttons", () => {
    const view = appHome({
      ...base,
      isAdmin: true,
      admin: admin({
        schedules: [
          schedule(1),
          schedule(2, { skipping: true, last: { week: "2026-W46", status: "failed", late: true } }),
          schedule(3, { enabled: false, next: null, nextWeek: null, last: null }),
        ],
      }),
    });
    const text = texts(view.blocks).join("\n");
    expect(text).toContain("*<#C0DIGEST1>* · Mondays at 09:00 (Europe/Berlin)");
    expect(text).toContain("reporting 2026-W48 · Last: 2026-W47 posted");
    expect(text).toContain("reporting 2026-W48 — ⏭ skipped · Last: 2026-W46 failed (late)");
    expect(text).toContain("⏸ Off");
    const labels = buttons(view.blocks).map((b) => b.text.text);
    expect(labels).toContain("Skip 2026-W48");
    expect(labels).toContain("Post 2026-W48 after all");
    expect(buttons(view.blocks).filter((b) => b.action_id === ACTIONS.scheduleSkip)).toHaveLength(
      2,
    );
    expect(
      buttons(view.blocks).filter((b) => b.action_id === ACTIONS.scheduleSendNow),
    ).toHaveLength(3);
    expectWithinSlackLimits(view);
  });

  it("stays within limits with many schedules, failed runs and huge texts", () => {
    const view = appHome({
      ...base,
      isAdmin: true,
      leads: homeLeads(40, true),
      pageSize: 40,
      admin: admin({
        schedules: Array.from({ length: 25 }, (_, i) =>
          schedule(i, { timing: `cron \`${HUGE}\``, timeZone: HUGE }),
        ),
        failedRuns: Array.from({ length: 5 }, (_, i) => ({
          runId: `run-${i}`,
          channelId: `C0FAIL${i}`,
          week: "2026-W47",
          error: HUGE,
          retryAt: i % 2 === 0 ? null : new Date("2026-11-23T10:00:00Z"),
        })),
      }),
    });
    expectWithinSlackLimits(view);
    expectEscaped(view);
    const edits = buttons(view.blocks).filter((b) => b.action_id === ACTIONS.scheduleEdit);
    expect(edits).toHaveLength(MAX_LISTED_SCHEDULES);
    expect(texts(view.blocks).join("\n")).toContain("(15 more not shown)");
    expect(buttons(view.blocks).filter((b) => b.action_id === ACTIONS.digestRunRetry)).toHaveLength(
      5,
    );
  });
});
