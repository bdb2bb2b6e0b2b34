import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRuleText } from "../../src/domain/definition-rules.ts";
import type { Lead } from "../../src/domain/lead.ts";
import { DEFAULT_REASONS } from "../../src/domain/taxonomy.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { ADMIN, type AppHarness, seedLead, startApp, untilQuiet } from "../support/app-harness.ts";
import {
  blockAction,
  multiSelect,
  radio,
  type SlackRequest,
  slashCommand,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";
import { anyText, emailAddress, ruleDocument } from "./arbitraries.ts";

// Any Slack request that can store or send something, sent a second time byte for byte (a retry,
// a replay), changes nothing more: no row, no modal, no message. Only answers may repeat.

const OTHER_USER = "U0SALES0077";
const CHANNEL = "C0GENERAL77";
/** What a request does in Slack, as opposed to answering it (response URL, App Home). */
const SLACK_EFFECTS = new Set(["views.open", "chat.postMessage", "chat.postEphemeral"]);

let h: AppHarness;
let leads: Lead[];

beforeAll(async () => {
  h = await startApp();
  await h.deps.db.prisma.workspace.update({
    where: { id: h.teamId },
    data: {
      salesChannelId: CHANNEL,
      webhookUrl: "https://crm.example/leadfit",
      webhookSecret: "webhook-secret-77",
    },
  });
  leads = [
    await seedLead(h, { email: "ann@acme.example", card: { channelId: CHANNEL, ts: "1.000001" } }),
    await seedLead(h, { email: "bob@acme.example" }),
  ];
});

afterAll(async () => {
  await untilQuiet(h);
  await h.close();
});

/** What is stored in the workspace: every kind of row a Slack request can add. */
async function stored() {
  const where = { workspaceId: h.teamId };
  const { prisma } = h.deps.db;
  return {
    verdicts: await prisma.leadFeedback.count({ where }),
    notes: await prisma.contextNote.count({ where }),
    definitions: await prisma.agreedDefinition.count({ where }),
    webhookEvents: await prisma.webhookDelivery.count({ where }),
    cards: await prisma.cardOutbox.count({ where }),
  };
}

const leadId = fc.oneof(
  fc.constantFrom(0, 1).map((i) => leads[i]?.id ?? ""),
  fc.uuid({ version: 4 }),
);
const user = fc.constantFrom(ADMIN, OTHER_USER);
const reasons = fc.subarray(DEFAULT_REASONS.map((r) => r.key));

const click = fc
  .record({
    actionId: fc.constantFrom(
      ACTIONS.verdictFit,
      ACTIONS.verdictNotYet,
      ACTIONS.verdictNotFit,
      ACTIONS.verdictChange,
    ),
    value: leadId,
    userId: user,
    fromHome: fc.boolean(),
  })
  .map(({ fromHome, ...o }) =>
    blockAction({
      ...o,
      teamId: h.teamId,
      ...(fromHome
        ? { viewType: "home" as const, viewId: "V0HOME00077" }
        : { channelId: CHANNEL, messageTs: "1.000001" }),
    }),
  );

const feedbackSubmission = fc
  .record({
    lead: leadId,
    verdict: fc.constantFrom("fit", "not_yet", "not_fit"),
    reasons,
    note: fc.option(anyText(60)),
    userId: user,
  })
  .map((o) =>
    viewSubmission({
      callbackId: VIEWS.feedback,
      userId: o.userId,
      teamId: h.teamId,
      privateMetadata: JSON.stringify({ leadId: o.lead }),
      values: {
        [INPUTS.verdict]: { [INPUTS.verdict]: radio(o.verdict) },
        [INPUTS.reasons]: { [INPUTS.reasons]: multiSelect(o.reasons) },
        [INPUTS.note]: { [INPUTS.note]: textInput(o.note) },
      },
    }),
  );

const contextNoteSubmission = fc
  .record({ text: anyText(80), inThread: fc.boolean(), userId: user })
  .map((o) =>
    viewSubmission({
      callbackId: VIEWS.contextNote,
      userId: o.userId,
      teamId: h.teamId,
      privateMetadata: o.inThread
        ? JSON.stringify({ thread: { channelId: CHANNEL, ts: "1700000000.000100" } })
        : "",
      values: { [INPUTS.text]: { [INPUTS.text]: textInput(o.text) } },
    }),
  );

const definitionSubmission = fc
  .record({
    rules: fc.oneof(
      ruleDocument.map((d) => formatRuleText(d)),
      anyText(60),
    ),
    userId: user,
  })
  .map((o) =>
    viewSubmission({
      callbackId: VIEWS.definition,
      userId: o.userId,
      teamId: h.teamId,
      values: { [INPUTS.rules]: { [INPUTS.rules]: textInput(o.rules) } },
    }),
  );

const command = fc
  .record({
    text: fc.oneof(
      anyText(60).map((t) => `note ${t}`),
      fc.constant(""),
      fc.constantFrom("ann@acme.example", "bob@acme.example"),
      emailAddress,
    ),
    userId: user,
  })
  .map((o) =>
    slashCommand({
      text: o.text,
      userId: o.userId,
      channelId: CHANNEL,
      teamId: h.teamId,
      responseUrl: h.fake.responseUrl(),
    }),
  );

describe("security #7: any Slack request sent twice has the effect of sending it once", () => {
  it("a repeated click, modal submission or /leadfit command stores and sends nothing more", async () => {
    const request: fc.Arbitrary<SlackRequest> = fc.oneof(
      click,
      feedbackSubmission,
      contextNoteSubmission,
      definitionSubmission,
      command,
    );
    await fc.assert(
      fc.asyncProperty(request, async (sent) => {
        const timestamp = Math.floor(Date.now() / 1000);
        expect((await h.send(sent, { timestamp })).status).toBe(200);
        await untilQuiet(h);
        const once = await stored();
        const callsBefore = h.fake.calls().length;
        expect((await h.send(sent, { timestamp })).status).toBe(200);
        await untilQuiet(h);
        expect(await stored()).toEqual(once);
        const repeatedEffects = h.fake
          .calls()
          .slice(callsBefore)
          .filter((c) => SLACK_EFFECTS.has(c.method));
        expect(repeatedEffects).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
