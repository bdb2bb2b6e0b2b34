import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { formatRuleText } from "../../src/domain/definition-rules.ts";
import type { Lead } from "../../src/domain/lead.ts";
import { DEFAULT_REASONS } from "../../src/domain/taxonomy.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { ADMIN, type AppHarness, seedLead, startApp, untilQuiet } from "../support/app-harness.ts";
import { type BlockKitPayload, blockKitProblems } from "../support/block-kit-limits.ts";
import {
  blockAction,
  blockSuggestion,
  checkboxes,
  conversationSelect,
  datePicker,
  multiSelect,
  numberInput,
  radio,
  type SlackRequest,
  type SlackResponse,
  type StateValues,
  slashCommand,
  staticSelect,
  textInput,
  timePicker,
  triggerId,
  usersSelect,
  viewSubmission,
} from "../support/slack-requests.ts";
import {
  anyJson,
  anyText,
  campaignKey,
  DEFAULT_METRIC_KEYS,
  emailAddress,
  isoWeek,
  oddWeek,
  ruleDocument,
} from "./arbitraries.ts";

// Slack input through the real receiver: every request gets its 200 within Slack's 3 seconds,
// every modal answer is one Slack accepts, everything sent to Slack is within Block Kit's limits,
// and nothing the person typed or clicked ends in an unexpected error in the log.

const OTHER_USER = "U0SALES0042";
const CHANNEL = "C0GENERAL01";
const SLACK_ACK_MS = 3000;

let h: AppHarness;
let leads: Lead[];

beforeAll(async () => {
  h = await startApp();
  leads = [
    await seedLead(h, { email: "ann@acme.example", owner: OTHER_USER }),
    await seedLead(h, { email: "bob@acme.example" }),
  ];
});

afterAll(async () => {
  await untilQuiet(h);
  await h.close();
});

/** Error-level lines: an expected refusal (an AppError) is told to the person, not logged. */
function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => /^\S+ error /.test(line));
}

interface Exchange {
  response: SlackResponse;
  elapsed: number;
  logs: string[];
  calls: ReturnType<AppHarness["fake"]["calls"]>;
}

/** Sends a request and waits for the handler's after-ack work; what it logged and sent to Slack. */
async function exchange(request: SlackRequest): Promise<Exchange> {
  const logsBefore = h.logs.length;
  const callsBefore = h.fake.calls().length;
  const started = performance.now();
  const response = await h.send(request);
  const elapsed = performance.now() - started;
  await untilQuiet(h);
  return {
    response,
    elapsed,
    logs: h.logs.slice(logsBefore),
    calls: h.fake.calls().slice(callsBefore),
  };
}

function expectAcknowledged(ex: Exchange): void {
  expect(ex.response.status).toBe(200);
  expect(ex.elapsed).toBeLessThan(SLACK_ACK_MS);
  // Bolt's own complaints: a listener that threw, or never acknowledged.
  expect(
    ex.logs.filter((l) => /unhandled error in a Slack listener|not acknowledged/.test(l)),
  ).toEqual([]);
}

/** Every view and message the app sent to Slack during the exchange is one Slack accepts. */
function expectSlackPayloadsWithinLimits(ex: Exchange): void {
  for (const call of ex.calls) {
    const { view, blocks, text } = call.params;
    const payload =
      view !== undefined
        ? view
        : blocks !== undefined || text !== undefined
          ? { blocks, text }
          : undefined;
    if (payload === undefined || call.method === "files.completeUploadExternal") continue;
    expect(blockKitProblems(payload as BlockKitPayload), `${call.method}`).toEqual([]);
  }
}

// ── Generators of Slack input ─────────────────────────────────────────────────────────────────

const seededLeadId = fc.constantFrom(0, 1).map((i) => leads[i]?.id ?? "");
const uuid = fc.oneof(fc.uuid({ version: 4 }), seededLeadId);
const user = fc.constantFrom(ADMIN, OTHER_USER);
// Slack's own selects fill these in, so a signed request only ever carries ids Slack made.
const channelId = fc.stringMatching(/^[CG][0-9A-Z]{8,10}$/);
const userIds = fc.array(fc.stringMatching(/^[UW][0-9A-Z]{8,10}$/), { maxLength: 3 });

const reportCampaign = fc.oneof(campaignKey, fc.constant(null));

/** Values as the app puts them on its buttons: the shape each handler expects. */
const WELL_FORMED: Record<string, fc.Arbitrary<string>> = {
  [ACTIONS.verdictFit]: uuid,
  [ACTIONS.verdictNotYet]: uuid,
  [ACTIONS.verdictNotFit]: uuid,
  [ACTIONS.verdictChange]: uuid,
  [ACTIONS.definitionAccept]: fc.integer({ min: 1, max: 1_000_000 }).map(String),
  [ACTIONS.definitionDecline]: fc.integer({ min: 1, max: 1_000_000 }).map(String),
  [ACTIONS.homeMoreLeads]: fc.integer({ min: 0, max: 1_000_000 }).map(String),
  [ACTIONS.homeRevokeApiKey]: uuid,
  [ACTIONS.digestAddContext]: isoWeek,
  [ACTIONS.digestCampaignReport]: fc
    .record({ campaign: reportCampaign, week: isoWeek })
    .map((v) => JSON.stringify(v)),
  [ACTIONS.reportPostToChannel]: fc
    .record({ campaign: reportCampaign, week: isoWeek })
    .map((v) => JSON.stringify(v)),
  [ACTIONS.hindsightPostToChannel]: fc
    .record({ campaign: reportCampaign })
    .map((v) => JSON.stringify(v)),
  [ACTIONS.scheduleEdit]: uuid,
  [ACTIONS.schedulePreview]: uuid,
  [ACTIONS.scheduleSendNow]: uuid,
  [ACTIONS.scheduleSkip]: uuid,
  [ACTIONS.scheduleDelete]: uuid,
  [ACTIONS.digestRunRetry]: uuid,
};

/** Any value at all: what a tampered or stale button could carry (no NUL, see the HTTP tests). */
const anyButtonValue = fc.oneof(
  anyText(40),
  oddWeek,
  fc.constantFrom("", "0", "-1", "1.5", "1e309", "99999999999999999999", "null", "{}", "[]"),
  anyJson(2).map((v) => JSON.stringify(v)),
);

/**
 * Where the app puts each button: in messages (which come with a response URL) or in App Home.
 * The lead picker is an external select: Slack asks it for options (tested below), it sends no
 * block action of its own.
 */
const CONTAINERS: Record<string, readonly ("message" | "home")[]> = {
  [ACTIONS.verdictFit]: ["message", "home"],
  [ACTIONS.verdictNotYet]: ["message", "home"],
  [ACTIONS.verdictNotFit]: ["message", "home"],
  [ACTIONS.verdictChange]: ["message"],
  [ACTIONS.definitionPropose]: ["message"],
  [ACTIONS.definitionHistory]: ["message"],
  [ACTIONS.definitionAccept]: ["message"],
  [ACTIONS.definitionDecline]: ["message"],
  [ACTIONS.homeMoreLeads]: ["home"],
  [ACTIONS.homeOpenSettings]: ["home"],
  [ACTIONS.homeCreateApiKey]: ["home"],
  [ACTIONS.homeRevokeApiKey]: ["home"],
  [ACTIONS.homeConfigureWebhook]: ["home"],
  [ACTIONS.digestAddContext]: ["message"],
  [ACTIONS.digestReviewPending]: ["message"],
  [ACTIONS.digestCampaignReport]: ["message"],
  [ACTIONS.reportPostToChannel]: ["message"],
  [ACTIONS.hindsightPostToChannel]: ["message"],
  [ACTIONS.scheduleAdd]: ["home"],
  [ACTIONS.scheduleEdit]: ["home"],
  [ACTIONS.schedulePreview]: ["home"],
  [ACTIONS.scheduleSendNow]: ["home"],
  [ACTIONS.scheduleSkip]: ["home"],
  [ACTIONS.scheduleDelete]: ["home"],
  [ACTIONS.digestRunRetry]: ["home"],
};

/** The container fields of a click on `actionId` in one of the places the app shows it. */
function clickPlace(actionId: string) {
  return fc
    .constantFrom(...(CONTAINERS[actionId] ?? ["message"]))
    .map((place) =>
      place === "home"
        ? { viewType: "home" as const, viewId: "V0HOME00001" }
        : { channelId: CHANNEL, messageTs: "1700000000.000100" },
    );
}

/** A click by a user on one of `actionIds`, where the app shows it, carrying a value from `values`. */
function clickOn(actionIds: string[], values: (actionId: string) => fc.Arbitrary<string>) {
  return fc.constantFrom(...actionIds).chain((actionId) =>
    fc.record({
      actionId: fc.constant(actionId),
      value: values(actionId),
      userId: user,
      place: clickPlace(actionId),
    }),
  );
}

type Click = ReturnType<typeof clickOn> extends fc.Arbitrary<infer C> ? C : never;

/** A generated click sent from the harness team with a response URL; what came of it. */
function sendClick(
  { actionId, value, userId, place }: Click,
  responseUrl: string,
  trigger?: string,
): Promise<Exchange> {
  return exchange(
    blockAction({
      actionId,
      value,
      userId,
      teamId: h.teamId,
      triggerId: trigger,
      responseUrl,
      ...place,
    }),
  );
}

const reasonKeys = DEFAULT_REASONS.map((r) => r.key);

const ruleText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "employees >= 50",
        "region in NA, EU",
        "title exists",
        "# a comment",
        "",
        "employees >>= 5",
        "region in",
        '"quoted" = 1',
      ),
      anyText(30),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join("\n"));

const timezone = fc.oneof(
  fc.constantFrom("Europe/Berlin", "UTC", "America/Los_Angeles", "Asia/Kathmandu", "Mars/Olympus"),
  anyText(20),
);

/** Webhook URLs that need no DNS: literal addresses, localhost, or not URLs at all. */
const webhookUrl = fc.oneof(
  fc.constantFrom(
    "https://93.184.216.34/hooks/leadfit",
    "http://127.0.0.1:9/hook",
    "https://[::1]/hook",
    "http://localhost/hook",
    "ftp://93.184.216.34/hook",
    "javascript:alert(1)",
    "https://10.0.0.1/x",
  ),
  anyText(30),
);

const selectOf = (values: fc.Arbitrary<string>) =>
  fc.oneof(
    values.map((v) => staticSelect(v)),
    fc.constant(staticSelect(null)),
  );

/** A plausible element for each input, sometimes of the wrong shape altogether. */
const INPUT_VALUES: Record<string, fc.Arbitrary<object>> = {
  [INPUTS.lead]: selectOf(fc.oneof(uuid, anyText(20))),
  [INPUTS.verdict]: fc.oneof(
    selectOf(fc.constantFrom("fit", "not_yet", "not_fit", "maybe")),
    fc.constantFrom("fit", "not_fit").map((v) => radio(v)),
  ),
  [INPUTS.reasons]: fc.oneof(
    fc.subarray(reasonKeys).map(multiSelect),
    fc.array(anyText(15), { maxLength: 3 }).map(checkboxes),
  ),
  [INPUTS.note]: fc.oneof(anyText(60), fc.constant(null)).map(textInput),
  [INPUTS.rules]: ruleText.map(textInput),
  [INPUTS.week]: selectOf(fc.oneof(isoWeek, oddWeek)),
  [INPUTS.campaign]: selectOf(campaignKey),
  [INPUTS.metric]: selectOf(fc.oneof(fc.constantFrom(...DEFAULT_METRIC_KEYS), anyText(10))),
  [INPUTS.text]: fc.oneof(anyText(80), fc.constant(null)).map(textInput),
  [INPUTS.timezone]: timezone.map(textInput),
  [INPUTS.currency]: fc.oneof(fc.constantFrom("EUR", "usd", "XXX", "€"), anyText(6)).map(textInput),
  [INPUTS.salesChannel]: channelId.map(conversationSelect),
  [INPUTS.marketingChannel]: channelId.map(conversationSelect),
  [INPUTS.salesTeam]: userIds.map(usersSelect),
  [INPUTS.marketingTeam]: userIds.map(usersSelect),
  [INPUTS.northStar]: selectOf(fc.oneof(fc.constantFrom(...DEFAULT_METRIC_KEYS), anyText(10))),
  [INPUTS.northStarTarget]: fc
    .oneof(fc.double().map(String), fc.constantFrom("1e309", "-0", "12,5"), anyText(10))
    .map(textInput),
  [INPUTS.kpis]: fc.subarray(DEFAULT_METRIC_KEYS, { maxLength: 7 }).map(multiSelect),
  [INPUTS.kpiTargets]: fc
    .array(
      fc.oneof(
        fc
          .tuple(fc.constantFrom(...DEFAULT_METRIC_KEYS), fc.double())
          .map(([k, v]) => `${k} = ${v}`),
        anyText(20),
      ),
      { maxLength: 4 },
    )
    .map((lines) => textInput(lines.join("\n"))),
  [INPUTS.reviewSlaHours]: fc
    .oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom("1.5", "1e3", "", "abc"))
    .map(numberInput),
  [INPUTS.needsContextThreshold]: fc
    .oneof(fc.integer({ min: -5, max: 600 }), fc.constantFrom("1.5", "", "abc"))
    .map(numberInput),
  [INPUTS.admins]: userIds.map(usersSelect),
  [INPUTS.apiKeyLabel]: fc.oneof(anyText(40), fc.constant(null)).map(textInput),
  [INPUTS.webhookUrl]: fc.oneof(webhookUrl, fc.constant(null)).map(textInput),
  [INPUTS.digestChannel]: channelId.map(conversationSelect),
  [INPUTS.weekday]: selectOf(fc.oneof(fc.integer({ min: 0, max: 8 }).map(String), anyText(5))),
  [INPUTS.time]: fc
    .oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
        .map(([hh, mm]) => `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`),
      anyText(6),
    )
    .map(timePicker),
  [INPUTS.cron]: fc
    .oneof(fc.constantFrom("0 9 * * 1", "*/5 * * * *", "61 * * * *", "@weekly"), anyText(20))
    .map(textInput),
  [INPUTS.enabled]: fc.subarray(["enabled"]).map(checkboxes),
  [INPUTS.revisitOn]: fc
    .oneof(fc.constantFrom("2026-12-01", "2027-06-30", "2030-01-01", "2026-02-30"), anyText(10))
    .map(datePicker),
  [INPUTS.conversionWindowDays]: fc
    .oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom("1.5", "", "abc"))
    .map(numberInput),
  [INPUTS.hindsightPerRep]: fc.subarray(["on"]).map(checkboxes),
  [INPUTS.aliasName]: fc.oneof(anyText(120), fc.constant(null)).map(textInput),
  [INPUTS.aliasCampaignKey]: fc.oneof(campaignKey, anyText(40)).map(textInput),
  [INPUTS.crmToken]: fc.oneof(anyText(80), fc.constant(null)).map(textInput),
  [INPUTS.crmInstanceUrl]: fc
    .oneof(fc.constant("https://example.my.salesforce.com"), anyText(40))
    .map(textInput),
  [INPUTS.crmRefreshToken]: fc.oneof(anyText(80), fc.constant(null)).map(textInput),
  [INPUTS.crmBackfillDays]: fc
    .oneof(fc.integer({ min: -5, max: 100_000 }).map(String), anyText(6))
    .map(textInput),
  [INPUTS.crmPublicUrl]: fc
    .oneof(fc.constant("https://leadfit.example.com"), anyText(40))
    .map(textInput),
};

/** An input's element: a JSON value of the wrong kind is wrapped, as Slack never sends a bare one. */
function element(value: unknown): object {
  return typeof value === "object" && value !== null ? value : { value };
}

/** `view.state.values` with any subset of the inputs, each plausible or of a wrong shape. */
const stateValues: fc.Arbitrary<StateValues> = fc
  .tuple(
    ...Object.entries(INPUT_VALUES).map(([id, plausible]) =>
      fc
        .option(fc.oneof({ weight: 5, arbitrary: plausible }, anyJson(2)), { freq: 4 })
        .map((value) => [id, value] as const),
    ),
  )
  .map((entries) =>
    Object.fromEntries(
      entries.flatMap(([id, value]) => (value === null ? [] : [[id, { [id]: element(value) }]])),
    ),
  );

/** Inputs of each modal, as the app builds them. */
const MODAL_INPUTS: Record<string, readonly string[]> = {
  [VIEWS.feedback]: [INPUTS.lead, INPUTS.verdict, INPUTS.reasons, INPUTS.note, INPUTS.revisitOn],
  [VIEWS.definition]: [INPUTS.rules],
  [VIEWS.settings]: [
    INPUTS.timezone,
    INPUTS.currency,
    INPUTS.salesChannel,
    INPUTS.marketingChannel,
    INPUTS.salesTeam,
    INPUTS.marketingTeam,
    INPUTS.admins,
    INPUTS.northStar,
    INPUTS.northStarTarget,
    INPUTS.kpis,
    INPUTS.kpiTargets,
    INPUTS.reviewSlaHours,
    INPUTS.needsContextThreshold,
    INPUTS.conversionWindowDays,
    INPUTS.hindsightPerRep,
  ],
  [VIEWS.contextNote]: [INPUTS.week, INPUTS.campaign, INPUTS.metric, INPUTS.text],
  [VIEWS.apiKey]: [INPUTS.apiKeyLabel],
  [VIEWS.webhook]: [INPUTS.webhookUrl],
  [VIEWS.schedule]: [
    INPUTS.digestChannel,
    INPUTS.weekday,
    INPUTS.time,
    INPUTS.cron,
    INPUTS.timezone,
    INPUTS.enabled,
  ],
  [VIEWS.campaignAlias]: [INPUTS.aliasName, INPUTS.aliasCampaignKey],
  // Without the CRM in the private metadata (the form opened from App Home) these are refused
  // before anything reaches a CRM.
  [VIEWS.crmConnect]: [
    INPUTS.crmToken,
    INPUTS.crmInstanceUrl,
    INPUTS.crmRefreshToken,
    INPUTS.crmBackfillDays,
  ],
  [VIEWS.crmAuthorize]: [INPUTS.crmPublicUrl],
};

/** A value each input accepts, with the free text in it as hostile as it gets. */
const GOOD_VALUES: Record<string, fc.Arbitrary<object>> = {
  [INPUTS.lead]: seededLeadId.map((id) => staticSelect(id)),
  [INPUTS.verdict]: fc.constantFrom("fit", "not_yet", "not_fit").map((v) => staticSelect(v)),
  [INPUTS.reasons]: fc.subarray(reasonKeys, { minLength: 1, maxLength: 3 }).map(multiSelect),
  [INPUTS.note]: anyText(200).map(textInput),
  [INPUTS.rules]: ruleDocument.map((doc) => textInput(formatRuleText(doc))),
  [INPUTS.week]: fc.constantFrom("2026-W46", "2026-W47").map((w) => staticSelect(w)),
  [INPUTS.campaign]: fc.constant(staticSelect(null)),
  [INPUTS.metric]: fc.constantFrom(...DEFAULT_METRIC_KEYS).map((k) => staticSelect(k)),
  [INPUTS.text]: anyText(200)
    .filter((t) => t.trim() !== "")
    .map(textInput),
  [INPUTS.timezone]: fc.constantFrom("Europe/Berlin", "UTC", "Asia/Kathmandu").map(textInput),
  [INPUTS.currency]: fc.constantFrom("EUR", "usd", "JPY").map(textInput),
  [INPUTS.salesChannel]: fc.constant(conversationSelect("C0SALES0001")),
  [INPUTS.marketingChannel]: fc.constant(conversationSelect("C0MKTG00001")),
  [INPUTS.salesTeam]: fc.constant(usersSelect([OTHER_USER])),
  [INPUTS.marketingTeam]: fc.constant(usersSelect([ADMIN])),
  [INPUTS.admins]: fc.constant(usersSelect([ADMIN])),
  [INPUTS.northStar]: fc.constantFrom("pipeline", "revenue").map((k) => staticSelect(k)),
  [INPUTS.northStarTarget]: fc
    .integer({ min: 0, max: 10_000_000 })
    .map((n) => textInput(String(n))),
  [INPUTS.kpis]: fc.constant(multiSelect(["leads", "sqls"])),
  [INPUTS.kpiTargets]: fc.constantFrom("leads = 30", "", "sqls = 10\nleads = 5").map(textInput),
  [INPUTS.reviewSlaHours]: fc.integer({ min: 1, max: 720 }).map(numberInput),
  [INPUTS.needsContextThreshold]: fc.integer({ min: 1, max: 500 }).map(numberInput),
  [INPUTS.conversionWindowDays]: fc.integer({ min: 1, max: 730 }).map(numberInput),
  [INPUTS.hindsightPerRep]: fc.subarray(["on"]).map(checkboxes),
  [INPUTS.revisitOn]: fc.constant(datePicker(null)),
  [INPUTS.aliasName]: anyText(60)
    .filter((t) => t.trim() !== "")
    .map(textInput),
  [INPUTS.aliasCampaignKey]: campaignKey.map(textInput),
  [INPUTS.apiKeyLabel]: anyText(60)
    .filter((t) => t.trim() !== "")
    .map(textInput),
  [INPUTS.webhookUrl]: fc.constant(textInput("https://93.184.216.34/hooks/leadfit")),
  [INPUTS.digestChannel]: fc.constant(conversationSelect("C0DIGEST001")),
  [INPUTS.weekday]: fc.integer({ min: 1, max: 7 }).map((d) => staticSelect(String(d))),
  [INPUTS.time]: fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([hh, mm]) => timePicker(`${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`)),
  [INPUTS.cron]: fc.constant(textInput(null)),
  [INPUTS.enabled]: fc.subarray(["enabled"]).map(checkboxes),
};

/** A modal filled in properly, then one or two of its inputs replaced by anything. */
function plausibleSubmission(callbackId: string): fc.Arbitrary<StateValues> {
  const ids = MODAL_INPUTS[callbackId] ?? [];
  return fc
    .tuple(
      fc.tuple(...ids.map((id) => GOOD_VALUES[id] ?? fc.constant(textInput(null)))),
      fc.subarray([...ids], { maxLength: Math.min(2, ids.length) }),
      fc.tuple(...ids.map((id) => INPUT_VALUES[id] ?? anyJson(2))),
    )
    .map(([good, replaced, odd]) =>
      Object.fromEntries(
        ids.map((id, i) => [id, { [id]: element(replaced.includes(id) ? odd[i] : good[i]) }]),
      ),
    );
}

const privateMetadata = fc.oneof(
  fc.constant(""),
  anyText(30),
  uuid,
  fc
    .record({ leadId: uuid, channelId: fc.constant(CHANNEL) }, { requiredKeys: [] })
    .map((m) => JSON.stringify(m)),
  fc
    .record({
      thread: fc.record({ channelId: fc.constant(CHANNEL), ts: fc.constant("1700000000.000100") }),
    })
    .map((m) => JSON.stringify(m)),
  anyJson(2).map((v) => JSON.stringify(v)),
);

// ── Properties ────────────────────────────────────────────────────────────────────────────────

describe("Slack input through the real receiver", () => {
  it("generates every input of every modal (a new input or modal must be added here to be tried)", () => {
    expect(Object.keys(MODAL_INPUTS).sort()).toEqual(Object.values(VIEWS).sort());
    const inModals = new Set(Object.values(MODAL_INPUTS).flat());
    expect(Object.values(INPUTS).filter((id) => !inModals.has(id))).toEqual([]);
    expect(Object.values(INPUTS).filter((id) => !(id in INPUT_VALUES))).toEqual([]);
  });

  it("acknowledges any click on any button in time, and tells the person about any failure it logs", async () => {
    const click = clickOn(Object.keys(CONTAINERS), (actionId) =>
      fc.oneof(WELL_FORMED[actionId] ?? anyButtonValue, anyButtonValue),
    );
    await fc.assert(
      fc.asyncProperty(click, async (clicked) => {
        const trigger = triggerId();
        const responseUrl = h.fake.responseUrl();
        const ex = await sendClick(clicked, responseUrl, trigger);
        expectAcknowledged(ex);
        expectSlackPayloadsWithinLimits(ex);
        // A bad value never reaches the database unparsed.
        expect(ex.logs.filter((l) => l.includes("PrismaClient"))).toEqual([]);
        // A logged failure is a broken button (a value the app never made). In a message the
        // person still hears of it; App Home has no response URL to answer through.
        if (errorLines(ex.logs).length === 0 || "viewType" in clicked.place) return;
        // Waited for, not just looked up: the message may come a moment after the log line.
        const told = await Promise.any([
          h.fake.waitFor("response_url", (c) => c.params.url === responseUrl, 2000),
          h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger, 2000),
        ]).then(
          () => true,
          () => false,
        );
        expect(told).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("logs no error for a click on a button carrying a value of the shape the app puts there", async () => {
    const click = clickOn(
      Object.keys(WELL_FORMED),
      (actionId) => WELL_FORMED[actionId] ?? fc.constant(""),
    );
    await fc.assert(
      fc.asyncProperty(click, async (clicked) => {
        const ex = await sendClick(clicked, h.fake.responseUrl());
        expectAcknowledged(ex);
        expectSlackPayloadsWithinLimits(ex);
        expect(errorLines(ex.logs)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it("answers any submission of any modal with nothing, inline errors Slack can show, or a new view", async () => {
    const inputIds: readonly string[] = Object.values(INPUTS);
    const errorsAnswer = z.strictObject({
      response_action: z.literal("errors"),
      // Keyed by the modal's input blocks, each with a message Slack can show under it.
      errors: z
        .record(
          z.string().refine((id) => inputIds.includes(id), "not an input block"),
          z.string().trim().min(1).max(2000),
        )
        .refine((e) => Object.keys(e).length > 0, "no error listed"),
    });
    const viewAnswer = z.strictObject({
      response_action: z.enum(["update", "push"]),
      view: z.looseObject({ type: z.literal("modal") }),
    });
    const submission = fc.constantFrom(...Object.values(VIEWS)).chain((callbackId) =>
      fc.record({
        callbackId: fc.constant(callbackId),
        values: fc.oneof(stateValues, plausibleSubmission(callbackId)),
        privateMetadata,
        userId: user,
      }),
    );
    await fc.assert(
      fc.asyncProperty(submission, async ({ callbackId, values, privateMetadata, userId }) => {
        const ex = await exchange(
          viewSubmission({ callbackId, values, privateMetadata, userId, teamId: h.teamId }),
        );
        expectAcknowledged(ex);
        expectSlackPayloadsWithinLimits(ex);
        expect(errorLines(ex.logs)).toEqual([]);
        if (ex.response.text === "") return;
        const answer = ex.response.json;
        const answers = z.union([
          errorsAnswer,
          viewAnswer,
          z.strictObject({ response_action: z.literal("clear") }),
        ]);
        const parsed = answers.parse(answer);
        if ("view" in parsed) expect(blockKitProblems(parsed.view as BlockKitPayload)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("answers any /leadfit text with a message within Slack's limits, never silence and never an error", async () => {
    const words = fc.constantFrom("note", "report", "digest", "definition", "help", "HELP", "Note");
    const text = fc.oneof(
      anyText(60),
      fc.tuple(words, anyText(60)).map(([w, rest]) => `${w} ${rest}`),
      fc.constantFrom("digest preview", "  help  ", "report", "definition"),
      emailAddress,
      fc.constantFrom(...leads.map((l) => l.email), ...leads.map((l) => l.externalId)),
      fc.string({ unit: "grapheme", minLength: 3000, maxLength: 4000 }),
    );
    await fc.assert(
      fc.asyncProperty(text, user, async (commandText, userId) => {
        const trigger = triggerId();
        const responseUrl = h.fake.responseUrl();
        const ex = await exchange(
          slashCommand({
            text: commandText,
            userId,
            channelId: CHANNEL,
            teamId: h.teamId,
            triggerId: trigger,
            responseUrl,
          }),
        );
        expectAcknowledged(ex);
        expectSlackPayloadsWithinLimits(ex);
        expect(errorLines(ex.logs)).toEqual([]);
        if (ex.response.text === "") {
          // An empty acknowledgement is for the form opening (no text, or a lead that matched) or
          // for work that answers through the response URL, however long it takes on a busy
          // machine.
          const followed = await Promise.any([
            h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger),
            h.fake.waitFor("response_url", (c) => c.params.url === responseUrl),
          ]);
          expectSlackPayloadsWithinLimits({ ...ex, calls: [followed] });
          return;
        }
        const message = z.looseObject({ text: z.string().trim().min(1) }).parse(ex.response.json);
        expect(blockKitProblems(message)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("offers lead picker options within Slack's limits for anything typed", async () => {
    const optionsAnswer = z.strictObject({
      options: z
        .array(
          z.looseObject({
            text: z.looseObject({ type: z.literal("plain_text"), text: z.string().min(1).max(75) }),
            value: z.string().min(1).max(150),
          }),
        )
        .max(100),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyText(40), fc.constantFrom("ann", "ACME", "%", "_", "'")),
        async (typed) => {
          const ex = await exchange(
            blockSuggestion({
              actionId: ACTIONS.leadPicker,
              value: typed,
              userId: ADMIN,
              teamId: h.teamId,
            }),
          );
          expectAcknowledged(ex);
          expect(errorLines(ex.logs)).toEqual([]);
          optionsAnswer.parse(ex.response.json);
        },
      ),
      { numRuns: 20 },
    );
  });
});

// Minimal counterexamples the properties above found, kept as regression tests.
describe("regressions on Slack input", () => {
  const command = (text: string) =>
    exchange(
      slashCommand({
        text,
        userId: ADMIN,
        channelId: CHANNEL,
        teamId: h.teamId,
        responseUrl: h.fake.responseUrl(),
      }),
    );
  const submit = (callbackId: string, input: string, text: string) =>
    exchange(
      viewSubmission({
        callbackId,
        values: { [input]: { [input]: textInput(text) } },
        userId: ADMIN,
        teamId: h.teamId,
      }),
    );

  it("answers /leadfit with a NUL character in its text without an error in the log", async () => {
    const ex = await command("note a\u0000b");
    expectAcknowledged(ex);
    expect(errorLines(ex.logs)).toEqual([]);
  });

  it("answers in time, with an inline error, a proposed rule whose quoted value decodes to NUL", async () => {
    const ex = await submit(VIEWS.definition, INPUTS.rules, 'a = "\\u0000"');
    expectAcknowledged(ex);
    expect(errorLines(ex.logs)).toEqual([]);
  });

  describe("security #10a: unstorable text typed into a modal", () => {
    // A lone surrogate cannot reach the app this way: a form-encoded payload replaces it.
    const inputs = [
      { view: VIEWS.apiKey, input: INPUTS.apiKeyLabel },
      { view: VIEWS.contextNote, input: INPUTS.text },
      { view: VIEWS.settings, input: INPUTS.timezone },
    ];
    for (const { view, input } of inputs)
      it(`stores or refuses a NUL in ${view}/${input} without an error in the log`, async () => {
        const ex = await submit(view, input, "CRM\u0000sync");
        expectAcknowledged(ex);
        expect(errorLines(ex.logs)).toEqual([]);
      });
  });

  it("security #10a: offers lead picker options for a NUL typed into the picker without an error in the log", async () => {
    const ex = await exchange(
      blockSuggestion({
        actionId: ACTIONS.leadPicker,
        value: "ann\u0000",
        userId: ADMIN,
        teamId: h.teamId,
      }),
    );
    expectAcknowledged(ex);
    expect(errorLines(ex.logs)).toEqual([]);
  });

  it("escapes the campaign key when /leadfit report names an unknown one", async () => {
    const ex = await command("report a&b");
    expectAcknowledged(ex);
    // The report is answered after the acknowledgement, once its figures are read: wait for it.
    const answer = await h.fake.waitFor("response_url", (call) =>
      JSON.stringify(call.params).includes("a&"),
    );
    expect(blockKitProblems(z.object({ text: z.string() }).parse(answer.params))).toEqual([]);
  });

  it("shows a new API key in a notice whose text is valid mrkdwn", async () => {
    const ex = await submit(VIEWS.apiKey, INPUTS.apiKeyLabel, "CRM sync");
    const answer = z
      .looseObject({ view: z.looseObject({ type: z.literal("modal") }) })
      .parse(ex.response.json);
    expect(blockKitProblems(answer.view as BlockKitPayload)).toEqual([]);
  });
});
