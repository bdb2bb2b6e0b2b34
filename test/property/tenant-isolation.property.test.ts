import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lead } from "../../src/domain/lead.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { ADMIN, type AppHarness, startApp } from "../support/app-harness.ts";
import { uniqueId } from "../support/database.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import {
  blockAction,
  multiSelect,
  radio,
  type SlackRequest,
  slashCommand,
  staticSelect,
  textInput,
  triggerId,
  viewSubmission,
} from "../support/slack-requests.ts";
import { anyText } from "./arbitraries.ts";

// Whatever a signed request from workspace B says about workspace A's leads — which of the
// lead-handling interactions, by whom, from where, naming which lead — B is answered as if the
// lead did not exist, and nothing of it is shown to B or written in A.

const CHANNEL = "C0SALESB02";

let h: AppHarness;
let leadsOfA: Lead[];

beforeAll(async () => {
  h = await startApp();
  const a = await h.deps.repos.workspaces.ensure(uniqueId("T"), "Workspace A");
  await h.deps.repos.workspaces.setWebhook(
    a.id,
    { url: "https://crm.a.example/hooks", secret: "secret-of-a" },
    "U0ADMINA02",
  );
  leadsOfA = [];
  for (const [i, name] of ["Hidden Buyer", "Private Prospect", "Quiet Customer"].entries()) {
    const lead = await h.deps.repos.leads.upsert(a.id, {
      externalId: `a-crm-${i}`,
      email: `${name.toLowerCase().replace(" ", ".")}@a-corp.example`,
      name,
      company: `A Corp ${i}`,
      title: "CFO",
      campaignId: null,
      owner: i === 0 ? ADMIN : null,
      createdAt: new Date(Date.now() - 3_600_000),
      fields: {},
      definition: { status: "met", failures: [], version: 1 },
    });
    // With a card, so that a verdict on the lead would queue its update.
    await h.deps.db.prisma.lead.update({
      where: { id: lead.id },
      data: { cardChannelId: "C0SALESA02", cardTs: `1700000000.00070${i}` },
    });
    leadsOfA.push(lead);
  }
});

afterAll(() => h.close());

/** What anything done to A's leads would have written. */
async function writtenOnLeadsOfA() {
  const where = { leadId: { in: leadsOfA.map((l) => l.id) } };
  const { prisma } = h.deps.db;
  return [
    await prisma.leadFeedback.count({ where }),
    await prisma.cardOutbox.count({ where }),
    await prisma.webhookDelivery.count({ where }),
  ];
}

const mentionsALead = (call: FakeSlackCall) => {
  const sent = JSON.stringify(call.params);
  return leadsOfA.some((l) => [l.id, l.name ?? "", l.company ?? ""].some((s) => sent.includes(s)));
};

type Interaction =
  | { kind: "click"; actionId: string; onHome: boolean }
  | { kind: "submission"; picked: boolean; verdict: string; note: string | null }
  | { kind: "command"; by: "externalId" | "email" };

const interaction: fc.Arbitrary<Interaction> = fc.oneof(
  fc.record({
    kind: fc.constant("click" as const),
    actionId: fc.constantFrom(
      ACTIONS.verdictFit,
      ACTIONS.verdictNotYet,
      ACTIONS.verdictNotFit,
      ACTIONS.verdictChange,
    ),
    onHome: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("submission" as const),
    picked: fc.boolean(),
    verdict: fc.constantFrom("fit", "not_yet", "not_fit"),
    note: fc.option(anyText(40), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    by: fc.constantFrom("externalId" as const, "email" as const),
  }),
);

/** The request, and how to recognise the app's answer to it among the calls to Slack. */
function requestFor(
  what: Interaction,
  lead: Lead,
  userId: string,
): { request: SlackRequest; answer?: { method: string; matches: (c: FakeSlackCall) => boolean } } {
  const responseUrl = h.fake.responseUrl(uniqueId("r"));
  const byResponseUrl = {
    method: "response_url",
    matches: (c: FakeSlackCall) => c.params.url === responseUrl,
  };
  const teamId = h.teamId;
  if (what.kind === "command") {
    const text = what.by === "email" ? lead.email : lead.externalId;
    return {
      request: slashCommand({ text, userId, channelId: CHANNEL, teamId, responseUrl }),
      answer: byResponseUrl,
    };
  }
  if (what.kind === "submission") {
    const request = viewSubmission({
      callbackId: VIEWS.feedback,
      userId,
      teamId,
      ...(what.picked ? {} : { privateMetadata: JSON.stringify({ leadId: lead.id }) }),
      values: {
        ...(what.picked ? { [INPUTS.lead]: { [INPUTS.lead]: staticSelect(lead.id) } } : {}),
        [INPUTS.verdict]: { [INPUTS.verdict]: radio(what.verdict) },
        [INPUTS.reasons]: { [INPUTS.reasons]: multiSelect(["no_budget"]) },
        [INPUTS.note]: { [INPUTS.note]: textInput(what.note) },
      },
    });
    return { request };
  }
  const request = blockAction({
    actionId: what.actionId,
    value: lead.id,
    userId,
    teamId,
    triggerId: triggerId(),
    ...(what.onHome
      ? { container: "view" as const, viewType: "home" as const }
      : { channelId: CHANNEL, messageTs: "1700000000.000300", responseUrl }),
  });
  // App Home answers by publishing the home again: only a publish after this request counts.
  const earlier = new Set(h.fake.calls("views.publish"));
  const onHome = {
    method: "views.publish",
    matches: (c: FakeSlackCall) => c.params.user_id === userId && !earlier.has(c),
  };
  return { request, answer: what.onHome ? onHome : byResponseUrl };
}

describe("security #9 (property): requests from workspace B never reach a lead of workspace A", () => {
  it("any verdict click, modal open, modal submission or lookup naming A's lead answers 'no such lead' and writes nothing", async () => {
    const before = await writtenOnLeadsOfA();
    await fc.assert(
      fc.asyncProperty(
        interaction,
        fc.constantFrom(...leadsOfA.map((_, i) => i)),
        fc.constantFrom(ADMIN, "U0REPB0002"),
        async (what, index, userId) => {
          const lead = leadsOfA[index];
          if (!lead) throw new Error("no such seeded lead");
          const { request, answer } = requestFor(what, lead, userId);
          const callsBefore = h.fake.calls().length;
          const response = await h.send(request);
          expect(response.status).toBe(200);
          if (what.kind === "submission") {
            expect(response.json).toMatchObject({
              response_action: "errors",
              errors: { [INPUTS.verdict]: "That lead no longer exists." },
            });
          } else if (answer) {
            const answered = await h.fake.waitFor(answer.method, answer.matches);
            if (answered.method === "response_url")
              expect(String(answered.params.text)).toMatch(/no longer exists|No lead matches/);
          }
          const sent = h.fake.calls().slice(callsBefore);
          expect(sent.filter(mentionsALead)).toEqual([]);
          expect(sent.filter((c) => c.method === "views.open")).toEqual([]);
          expect(await writtenOnLeadsOfA()).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });
});
