import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ADMINS } from "../../src/domain/workspace.ts";
import { SCOPES_BY_METHOD } from "../../src/outbound/slack/gateway.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import {
  ADMIN,
  type AppHarness,
  openedAdminRefusal,
  seedLead,
  startApp,
  TRANSPORTS,
} from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  appHomeOpened,
  blockAction,
  conversationSelect,
  multiSelect,
  numberInput,
  slashCommand,
  staticSelect,
  textInput,
  usersSelect,
  viewSubmission,
} from "../support/slack-requests.ts";

const SALES_LEAD = "U0SALES001";
const MARKETER = "U0MKT00001";
const SALES_CHANNEL = "C0SALES001";
const MARKETING_CHANNEL = "C0MKTG0001";

function settingsValues(overrides: Record<string, object> = {}) {
  const values: Record<string, object> = {
    [INPUTS.timezone]: textInput("Europe/Berlin"),
    [INPUTS.currency]: textInput("eur"),
    [INPUTS.salesChannel]: conversationSelect(SALES_CHANNEL),
    [INPUTS.marketingChannel]: conversationSelect(MARKETING_CHANNEL),
    [INPUTS.salesTeam]: usersSelect([SALES_LEAD]),
    [INPUTS.marketingTeam]: usersSelect([MARKETER]),
    [INPUTS.admins]: usersSelect([]),
    [INPUTS.northStar]: staticSelect("pipeline"),
    [INPUTS.northStarTarget]: textInput("250000"),
    [INPUTS.kpis]: multiSelect(["leads", "sqls", "impressions"]),
    [INPUTS.kpiTargets]: textInput("leads = 30\nsqls = 10"),
    [INPUTS.reviewSlaHours]: numberInput(24),
    [INPUTS.needsContextThreshold]: numberInput(30),
    [INPUTS.conversionWindowDays]: numberInput(120),
    [INPUTS.hindsightPerRep]: { type: "checkboxes", selected_options: [{ value: "on" }] },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { [id]: value }]));
}

describe.each(TRANSPORTS)("admin settings and the agreed definition over %s", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({}, { transport });
    h.fake.setChannel(MARKETING_CHANNEL, { is_member: false });
  });
  afterAll(async () => {
    // Every Web API method the app called with its bot token has its scope in the manifest's list
    // (Socket Mode connects with the app-level token, whose scope is not the bot's).
    const called = new Set(
      h.fake
        .calls()
        .filter((c) => c.token !== h.fake.socketMode.appToken)
        .map((c) => c.method)
        .filter((m) => m !== "response_url"),
    );
    expect([...called].filter((m) => !(m in SCOPES_BY_METHOD))).toEqual([]);
    await h.close();
  });

  const submitSettings = (userId: string, overrides: Record<string, object> = {}) =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.settings,
        userId,
        teamId: h.teamId,
        values: settingsValues(overrides),
      }),
    );
  const proposeDefinition = (userId: string, rules: string) =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.definition,
        userId,
        teamId: h.teamId,
        values: { [INPUTS.rules]: { [INPUTS.rules]: textInput(rules) } },
      }),
    );

  it("App Home opens with the waiting leads and, for an admin, the settings and why cards cannot be posted", async () => {
    const lead = await seedLead(h, { owner: ADMIN, name: "Home Lead" });
    const response = await h.send(appHomeOpened({ teamId: h.teamId, userId: ADMIN }));
    expect(response.status).toBe(200);
    const publish = await h.fake.waitFor("views.publish", (c) => c.params.user_id === ADMIN);
    const view = JSON.stringify(publish.params.view);
    expect(view).toContain("Home Lead");
    expect(view).toContain(lead.id);
    expect(view).toContain(ACTIONS.homeOpenSettings);
    expect(view).toContain("No sales channel is set");
    expectWithinSlackLimits(publish.params.view as never);
  });

  it("settings open for an admin and are refused to anyone else", async () => {
    const asAdmin = await h.send(
      blockAction({
        actionId: ACTIONS.homeOpenSettings,
        userId: ADMIN,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    expect(asAdmin.status).toBe(200);
    const open = await h.fake.openedView(VIEWS.settings);
    expectWithinSlackLimits(open.params.view as never);

    await h.send(
      blockAction({
        actionId: ACTIONS.homeOpenSettings,
        userId: "U0NOBODY01",
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );
    const refused = await openedAdminRefusal(h);
    expect((refused.params.view as { callback_id?: string }).callback_id).toBeUndefined();
  });

  it("a non-admin's settings submission is refused and saves nothing", async () => {
    const response = await submitSettings("U0NOBODY01");
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json)).toContain("Only Leadfit admins");
    expect((await h.workspace()).timezone).toBeNull();
  });

  it("refuses a KPI set of awareness figures alone, inline, and saves nothing", async () => {
    const response = await submitSettings(ADMIN, {
      [INPUTS.kpis]: multiSelect(["impressions", "clicks"]),
      [INPUTS.kpiTargets]: textInput(""),
    });
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.kpis]: expect.stringContaining("outcome") },
    });
    expect((await h.workspace()).kpis).toEqual([]);
  });

  it("security #10e: refuses more than MAX_ADMINS extra admins inline, saying the limit, and saves nothing", async () => {
    const tooMany = Array.from(
      { length: MAX_ADMINS + 1 },
      (_, i) => `U${String(i).padStart(9, "0")}`,
    );
    const response = await submitSettings(ADMIN, { [INPUTS.admins]: usersSelect(tooMany) });
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.admins]: expect.stringContaining(String(MAX_ADMINS)) },
    });
    expect((await h.workspace()).admins).toEqual([]);
  });

  it("refuses a bad timezone, currency and target line, each inline", async () => {
    const response = await submitSettings(ADMIN, {
      [INPUTS.timezone]: textInput("Mars/Olympus"),
      [INPUTS.currency]: textInput("XXXX"),
      [INPUTS.kpiTargets]: textInput("revenue = 5"),
    });
    const errors = (response.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(
      [INPUTS.currency, INPUTS.kpiTargets, INPUTS.timezone].sort(),
    );
    expect(errors[INPUTS.kpiTargets]).toContain("revenue is not one of the KPIs");
  });

  it("an admin's settings are saved and audited, and the app joins the channels it is not in", async () => {
    const response = await submitSettings(ADMIN);
    expect(response.status).toBe(200);
    const saved = await h.workspace();
    expect(saved).toMatchObject({
      timezone: "Europe/Berlin",
      currency: "EUR",
      salesChannelId: SALES_CHANNEL,
      marketingChannelId: MARKETING_CHANNEL,
      salesTeam: [SALES_LEAD],
      marketingTeam: [MARKETER],
      reviewSlaHours: 24,
      needsContextThresholdPct: 30,
      conversionWindowDays: 120,
      hindsightPerRep: true,
      northStar: { metricKey: "pipeline", weeklyTarget: 250000 },
      kpis: [
        { metricKey: "leads", weeklyTarget: 30 },
        { metricKey: "sqls", weeklyTarget: 10 },
        { metricKey: "impressions", weeklyTarget: null },
      ],
    });
    await h.fake.waitFor("conversations.join", (c) => c.params.channel === MARKETING_CHANNEL);
    expect(h.fake.calls("conversations.join").some((c) => c.params.channel === SALES_CHANNEL)).toBe(
      false,
    );
    const audit = await h.deps.db.prisma.auditEntry.findFirst({
      where: { workspaceId: h.teamId, action: "settings.saved" },
    });
    expect(audit?.actor).toBe(ADMIN);
  });

  it("a proposed definition with bad lines comes back inline with the line and the reason", async () => {
    const response = await proposeDefinition(MARKETER, "employees >= 50\nregion within NA");
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.rules]: expect.stringMatching(/^Line 2: .*operator/i) },
    });
    expect(await h.deps.repos.agreedDefinitions.history(h.teamId)).toEqual([]);
  });

  it("is proposed by marketing, refused to the proposer's own team, accepted by sales, and re-checks waiting leads", async () => {
    const waiting = await seedLead(h, { fields: { employees: 10, region: "EU" } });
    const response = await proposeDefinition(MARKETER, "employees >= 50\nregion in NA, EU");
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    const posts = await Promise.all(
      [SALES_CHANNEL, MARKETING_CHANNEL].map((channel) =>
        h.fake.waitFor(
          "chat.postMessage",
          (c) =>
            c.params.channel === channel &&
            JSON.stringify(c.params.blocks).includes(ACTIONS.definitionAccept),
        ),
      ),
    );
    for (const post of posts) {
      // Tried on the workspace's leads first: the waiting lead (10 employees) would be kept out.
      expect(JSON.stringify(post.params.blocks)).toContain(
        "• Would have kept out 1 lead: 0 reached an opportunity, 0 won",
      );
      expectWithinSlackLimits({
        text: String(post.params.text),
        blocks: post.params.blocks as object[],
      });
    }
    const [proposal] = await h.deps.repos.agreedDefinitions.history(h.teamId);
    expect(proposal).toMatchObject({ version: 1, state: "proposed", proposedBy: MARKETER });

    const decide = (userId: string, actionId: string) =>
      h.send(
        blockAction({
          actionId,
          value: "1",
          userId,
          teamId: h.teamId,
          channelId: SALES_CHANNEL,
          messageTs: "1700000003.000100",
          responseUrl: h.fake.responseUrl(`decide-${userId}`),
        }),
      );
    expect((await decide(MARKETER, ACTIONS.definitionAccept)).status).toBe(200);
    const refusal = await h.fake.waitFor("response_url", (c) =>
      String(c.params.url).includes(`decide-${MARKETER}`),
    );
    expect(String(refusal.params.text)).toContain("other team");
    expect((await h.deps.repos.agreedDefinitions.get(h.teamId, 1))?.state).toBe("proposed");

    expect((await decide(SALES_LEAD, ACTIONS.definitionAccept)).status).toBe(200);
    const accepted = await h.fake.waitFor("response_url", (c) =>
      String(c.params.url).includes(`decide-${SALES_LEAD}`),
    );
    expect(accepted.params.replace_original).toBe(true);
    expect(JSON.stringify(accepted.params.blocks)).not.toContain(ACTIONS.definitionAccept);
    expect((await h.deps.repos.agreedDefinitions.active(h.teamId))?.version).toBe(1);
    expect((await h.deps.repos.leads.get(h.teamId, waiting.id))?.definition).toEqual({
      status: "not_met",
      failures: [{ text: "employees >= 50", reason: "failed" }],
      version: 1,
    });

    const command = await h.send(
      slashCommand({
        text: "definition",
        userId: SALES_LEAD,
        channelId: SALES_CHANNEL,
        teamId: h.teamId,
      }),
    );
    // mrkdwn escapes ">"; Slack shows it as ">".
    expect(JSON.stringify(command.json)).toContain("employees &gt;= 50");
    expect(JSON.stringify(command.json)).toContain(ACTIONS.definitionPropose);
  });
});
