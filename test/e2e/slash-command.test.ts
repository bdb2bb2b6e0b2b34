import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, SHORTCUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, seedLead, startApp, TRANSPORTS } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  blockAction,
  blockSuggestion,
  messageShortcut,
  slashCommand,
  staticSelect,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const USER = "U0MKT00001";
const CHANNEL = "C0GENERAL1";

describe.each(TRANSPORTS)("/leadfit end to end over %s", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({}, { transport });
  });
  afterAll(() => h.close());

  const command = (text: string, responseUrl = h.fake.responseUrl()) =>
    h.send(slashCommand({ text, userId: USER, channelId: CHANNEL, teamId: h.teamId, responseUrl }));
  /** What the command answered through its response URL, after its acknowledgement. */
  const answerAt = async (responseUrl: string) =>
    JSON.stringify(
      (await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl)).params,
    );

  it("with no argument opens the feedback modal with a lead picker", async () => {
    const response = await command("");
    expect(response.status).toBe(200);
    const open = await h.fake.waitFor("views.open", (c) =>
      JSON.stringify(c.params.view).includes(ACTIONS.leadPicker),
    );
    const view = open.params.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe(VIEWS.feedback);
    expect(view.blocks.map((b) => b.block_id)).toContain(INPUTS.lead);
    expectWithinSlackLimits(view as never);
  });

  it("the lead picker searches name, email and company", async () => {
    const lead = await seedLead(h, { name: "Zelda Quarry", email: "zelda@quarry.example" });
    const response = await h.send(
      blockSuggestion({
        actionId: ACTIONS.leadPicker,
        value: "quarr",
        userId: USER,
        teamId: h.teamId,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      options: [
        {
          text: { type: "plain_text", text: expect.stringContaining("Zelda Quarry"), emoji: true },
          value: lead.id,
        },
      ],
    });
  });

  it("with an email opens the modal for the newest lead with it and names the others", async () => {
    await seedLead(h, { email: "twice@acme.example", name: "Older" });
    const newest = await seedLead(h, { email: "twice@acme.example", name: "Newer" });
    await h.deps.db.prisma.lead.update({
      where: { id: newest.id },
      data: { createdAt: new Date() },
    });
    const responseUrl = h.fake.responseUrl();
    const response = await command("TWICE@acme.example", responseUrl);
    expect(response.status).toBe(200);
    expect(await answerAt(responseUrl)).toContain("1 other lead");
    const open = await h.fake.waitFor("views.open", (c) =>
      JSON.stringify(c.params.view).includes(newest.id),
    );
    expect(JSON.stringify(open.params.view)).toContain("Newer");
  });

  it("with a CRM id opens the modal for that lead", async () => {
    const lead = await seedLead(h);
    expect((await command(lead.externalId)).status).toBe(200);
    await h.fake.waitFor("views.open", (c) => JSON.stringify(c.params.view).includes(lead.id));
  });

  it("says so when nothing matches", async () => {
    const responseUrl = h.fake.responseUrl();
    const response = await command("nobody@nowhere.example", responseUrl);
    expect(response.status).toBe(200);
    expect(await answerAt(responseUrl)).toContain("No lead matches");
  });

  it("`hindsight` answers after the acknowledgement with the year's verdicts beside their outcomes", async () => {
    const responseUrl = h.fake.responseUrl();
    const response = await command("hindsight", responseUrl);
    expect(response.status).toBe(200);
    const answer = (await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl))
      .params as { response_type: string; text: string; blocks: unknown[] };
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Hindsight for all campaigns");
    expect(JSON.stringify(answer.blocks)).toContain("Rejected, then bought");
    expectWithinSlackLimits(answer);
    const button = (answer.blocks as { elements?: { action_id?: string; value?: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTIONS.hindsightPostToChannel);
    expect(button?.value).toBe('{"campaign":null}');
    const click = await h.send(
      blockAction({
        actionId: ACTIONS.hindsightPostToChannel,
        value: button?.value,
        userId: USER,
        teamId: h.teamId,
        channelId: CHANNEL,
      }),
    );
    expect(click.status).toBe(200);
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (c) => c.params.channel === CHANNEL && String(c.params.text).startsWith("Hindsight for"),
    );
    expect(JSON.stringify(post.params.blocks)).not.toContain(ACTIONS.hindsightPostToChannel);
    const upload = await h.fake.waitFor(
      "files.completeUploadExternal",
      (c) => c.params.channel_id === CHANNEL && c.params.thread_ts !== undefined,
    );
    expect(JSON.stringify(upload.params)).toContain("Fit rate vs later wins");
    const unknownUrl = h.fake.responseUrl();
    await command("hindsight no-such-campaign", unknownUrl);
    expect(await answerAt(unknownUrl)).toContain("No campaign with the key no-such-campaign");
  });

  it.each(["help", "frobnicate the leads"])(
    "answers %j with a short help, never silence",
    async (text) => {
      const response = await command(text);
      expect(response.status).toBe(200);
      const body = response.json as { text: string; blocks: unknown[] };
      expect(body.text).toContain("/leadfit");
      expect(JSON.stringify(body.blocks)).toContain("note");
    },
  );

  it("`note <text>` adds a context note to this week", async () => {
    const response = await command("note Webinar moved to Thursday");
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json)).toContain("Webinar moved to Thursday");
    const notes = await h.deps.db.prisma.contextNote.findMany({ where: { workspaceId: h.teamId } });
    expect(notes.map((n) => [n.text, n.author])).toContainEqual([
      "Webinar moved to Thursday",
      USER,
    ]);
    expect(notes[0]?.week).toMatch(/^\d{4}-W\d{2}$/);
  });

  it("`note` without text explains how to use it and stores nothing", async () => {
    const before = await h.deps.db.prisma.contextNote.count({ where: { workspaceId: h.teamId } });
    const response = await command("note");
    expect(JSON.stringify(response.json)).toContain("/leadfit note");
    expect(await h.deps.db.prisma.contextNote.count({ where: { workspaceId: h.teamId } })).toBe(
      before,
    );
  });

  it("the message shortcut turns a message into a context note linked to it", async () => {
    const response = await h.send(
      messageShortcut({
        callbackId: SHORTCUTS.addContextNote,
        userId: USER,
        teamId: h.teamId,
        channelId: CHANNEL,
        messageTs: "1700000001.000100",
        messageText: "Paused LinkedIn for a creative refresh",
      }),
    );
    expect(response.status).toBe(200);
    const open = await h.fake.openedView(VIEWS.contextNote);
    const view = open.params.view as { private_metadata: string };
    expect(JSON.stringify(open.params.view)).toContain("Paused LinkedIn for a creative refresh");
    const submitted = await h.send(
      viewSubmission({
        callbackId: VIEWS.contextNote,
        userId: USER,
        teamId: h.teamId,
        privateMetadata: view.private_metadata,
        values: {
          [INPUTS.week]: { [INPUTS.week]: staticSelect("2026-W46") },
          [INPUTS.metric]: { [INPUTS.metric]: staticSelect("direct_traffic") },
          [INPUTS.text]: { [INPUTS.text]: textInput("Paused LinkedIn for a creative refresh") },
        },
      }),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe("");
    await h.fake.waitFor("chat.postEphemeral", (c) => c.params.channel === CHANNEL);
    const note = await h.deps.db.prisma.contextNote.findFirstOrThrow({
      where: { workspaceId: h.teamId, sourceTs: "1700000001.000100" },
      include: { metric: true },
    });
    expect(note).toMatchObject({
      week: "2026-W46",
      sourceChannel: CHANNEL,
      text: "Paused LinkedIn for a creative refresh",
    });
    expect(note.metric?.key).toBe("direct_traffic");
    expect(note.sourcePermalink).toContain("1700000001");
  });
});
