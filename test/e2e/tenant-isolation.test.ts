import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lead } from "../../src/domain/lead.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, startApp, TRANSPORTS } from "../support/app-harness.ts";
import { uniqueId } from "../support/database.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import {
  type BlockActionOptions,
  blockAction,
  multiSelect,
  radio,
  staticSelect,
  textInput,
  triggerId,
  viewSubmission,
} from "../support/slack-requests.ts";

const REP = "U0REPB0001";
const CHANNEL = "C0SALESB01";
const NO_SUCH_LEAD = "That lead no longer exists.";

// The app serves workspace B (the harness team); workspace A shares its database. Every request
// below is signed and comes from B, naming a lead of A: B must learn nothing of it and change nothing.
describe.each(TRANSPORTS)("security #9: workspace B naming a lead of A, over %s", (transport) => {
  let h: AppHarness;
  let leadOfA: Lead;
  beforeAll(async () => {
    h = await startApp({}, { transport });
    const a = await h.deps.repos.workspaces.ensure(uniqueId("T"), "Workspace A");
    await h.deps.repos.workspaces.setWebhook(
      a.id,
      { url: "https://crm.a.example/hooks", secret: "secret-of-a" },
      "U0ADMINA01",
    );
    const lead = await h.deps.repos.leads.upsert(a.id, {
      externalId: "crm-of-a",
      email: "secret.buyer@a.example",
      name: "Secret Buyer",
      company: "A Corp",
      title: "CFO",
      campaignId: null,
      owner: null,
      createdAt: new Date(Date.now() - 3_600_000),
      fields: { employees: 5000 },
      definition: { status: "met", failures: [], version: 1 },
    });
    // A card, so that a verdict on the lead would queue its update.
    await h.deps.db.prisma.lead.update({
      where: { id: lead.id },
      data: { cardChannelId: "C0SALESA01", cardTs: "1700000000.000900" },
    });
    const stored = await h.deps.repos.leads.findByExternalId(a.id, lead.externalId);
    if (!stored) throw new Error("workspace A's lead was not stored");
    leadOfA = stored;
  });
  afterAll(() => h.close());

  /** Everything a verdict on A's lead would have written in A. */
  const writtenOnLeadOfA = async () => {
    const where = { leadId: leadOfA.id };
    const { prisma } = h.deps.db;
    return {
      verdicts: await prisma.leadFeedback.count({ where }),
      cardUpdates: await prisma.cardOutbox.count({ where }),
      webhookEvents: await prisma.webhookDelivery.count({ where }),
    };
  };
  const nothingWritten = { verdicts: 0, cardUpdates: 0, webhookEvents: 0 };
  const mentionsLeadOfA = (call: FakeSlackCall) => {
    const sent = JSON.stringify(call.params);
    return [leadOfA.email, leadOfA.name ?? "", leadOfA.company ?? ""].some((s) => sent.includes(s));
  };

  /** B's rep clicks `actionId` on a card naming A's lead; the app acknowledges it either way. */
  const clickOnCardOfLeadOfA = async (
    actionId: string,
    request: Pick<BlockActionOptions, "responseUrl" | "triggerId">,
  ) => {
    const response = await h.send(
      blockAction({
        actionId,
        value: leadOfA.id,
        userId: REP,
        teamId: h.teamId,
        channelId: CHANNEL,
        messageTs: "1700000000.000100",
        ...request,
      }),
    );
    expect(response.status).toBe(200);
  };

  it.each([ACTIONS.verdictFit, ACTIONS.verdictNotYet])(
    "a one-click verdict (%s) stores nothing in A and says the lead no longer exists",
    async (actionId) => {
      const responseUrl = h.fake.responseUrl(`click-${actionId}`);
      await clickOnCardOfLeadOfA(actionId, { responseUrl });
      const told = await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl);
      expect(told.params.text).toBe(NO_SUCH_LEAD);
      expect(await writtenOnLeadOfA()).toEqual(nothingWritten);
    },
  );

  it.each([ACTIONS.verdictNotFit, ACTIONS.verdictChange])(
    "opening the feedback modal (%s) shows nothing of the lead and says it no longer exists",
    async (actionId) => {
      const responseUrl = h.fake.responseUrl(`open-${actionId}`);
      const trigger = triggerId();
      await clickOnCardOfLeadOfA(actionId, { responseUrl, triggerId: trigger });
      // The handler answers one way or the other: a modal for the trigger, or a reply.
      const opened = h.fake
        .waitFor("views.open", (c) => c.params.trigger_id === trigger)
        .catch(() => undefined);
      const replied = h.fake
        .waitFor("response_url", (c) => c.params.url === responseUrl)
        .catch(() => undefined);
      const answer = await Promise.race([opened, replied]);
      expect(answer && mentionsLeadOfA(answer)).toBe(false);
      expect(answer?.method).toBe("response_url");
      expect(answer?.params.text).toBe(NO_SUCH_LEAD);
      expect(h.fake.calls().filter(mentionsLeadOfA)).toEqual([]);
      expect(await writtenOnLeadOfA()).toEqual(nothingWritten);
    },
  );

  it("❌ Not a fit on App Home shows the home again, without the lead and without a modal", async () => {
    const trigger = triggerId();
    const response = await h.send(
      blockAction({
        actionId: ACTIONS.verdictNotFit,
        value: leadOfA.id,
        userId: REP,
        teamId: h.teamId,
        triggerId: trigger,
        container: "view",
        viewType: "home",
      }),
    );
    expect(response.status).toBe(200);
    const home = await h.fake.waitFor("views.publish", (c) => c.params.user_id === REP);
    expect(mentionsLeadOfA(home)).toBe(false);
    expect(h.fake.calls("views.open").filter((c) => c.params.trigger_id === trigger)).toEqual([]);
    expect(await writtenOnLeadOfA()).toEqual(nothingWritten);
  });

  it.each(["in the modal's metadata", "picked in the lead picker"])(
    "a feedback modal submission with the lead %s stores nothing in A and says the lead no longer exists",
    async (where) => {
      const inMetadata = where === "in the modal's metadata";
      const response = await h.send(
        viewSubmission({
          callbackId: VIEWS.feedback,
          userId: REP,
          teamId: h.teamId,
          ...(inMetadata ? { privateMetadata: JSON.stringify({ leadId: leadOfA.id }) } : {}),
          values: {
            ...(inMetadata ? {} : { [INPUTS.lead]: { [INPUTS.lead]: staticSelect(leadOfA.id) } }),
            [INPUTS.verdict]: { [INPUTS.verdict]: radio("not_fit") },
            [INPUTS.reasons]: { [INPUTS.reasons]: multiSelect(["no_budget"]) },
            [INPUTS.note]: { [INPUTS.note]: textInput(null) },
          },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        response_action: "errors",
        errors: { [INPUTS.verdict]: NO_SUCH_LEAD },
      });
      expect(await writtenOnLeadOfA()).toEqual(nothingWritten);
    },
  );
});
