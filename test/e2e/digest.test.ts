import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIsoWeek } from "../../src/domain/week.ts";
import { SlackGateway } from "../../src/outbound/slack/gateway.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { postDigest } from "../../src/services/post-digest.ts";
import { seedDemo } from "../../src/services/seed-demo.ts";
import { type AppHarness, startApp, TRANSPORTS } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import {
  blockAction,
  slashCommand,
  staticSelect,
  textInput,
  viewSubmission,
} from "../support/slack-requests.ts";

const CHANNEL = "C0DIGEST01";
const USER = "U0MKT00001";
const WEEK = "2026-W46";

describe.each(TRANSPORTS)("the digest in Slack over %s", (transport) => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp({}, { transport });
    await seedDemo(
      { ...h.deps, now: () => new Date("2026-11-22T15:00:00Z") },
      { workspaceId: h.teamId, workspaceName: "Demo", timeZone: "America/New_York" },
    );
  });
  afterAll(() => h.close());

  /**
   * `/leadfit <text>`: acknowledged at once, without `notInAcknowledgement`, then answered through
   * the response URL; resolves with that answer.
   */
  const answeredLater = async (text: string, notInAcknowledgement: string) => {
    const responseUrl = h.fake.responseUrl();
    const response = await h.send(
      slashCommand({ text, userId: USER, channelId: CHANNEL, teamId: h.teamId, responseUrl }),
    );
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json ?? null)).not.toContain(notInAcknowledgement);
    return (await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl)).params;
  };

  it("posts the digest, then its charts and the invitation to discuss as the first reply in its thread", async () => {
    const workspace = await h.workspace();
    const posted = await postDigest(
      { repos: h.deps.repos, gateway: new SlackGateway(h.deps.slack.client("xoxb-e2e-token")) },
      { workspace, week: parseIsoWeek(WEEK), channelId: CHANNEL },
    );
    const message = h.fake
      .calls("chat.postMessage")
      .find((c) => c.params.channel === CHANNEL && c.params.thread_ts === undefined);
    expect(JSON.stringify(message?.params.blocks)).toContain(WEEK);
    expectWithinSlackLimits({
      text: String(message?.params.text),
      blocks: message?.params.blocks as object[],
    });
    const complete = await h.fake.waitFor("files.completeUploadExternal");
    expect(complete.params).toMatchObject({
      channel_id: CHANNEL,
      thread_ts: posted.ts,
      initial_comment: expect.stringContaining("Add context"),
    });
    const uploads = h.fake.uploads();
    expect(uploads.length).toBe(2);
    for (const upload of uploads)
      expect(upload.bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  });

  it("`/leadfit digest preview` acknowledges, then shows last week's digest to the person asking", async () => {
    const body = (await answeredLater("digest preview", "Weekly digest")) as {
      response_type: string;
      text: string;
      blocks: object[];
    };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("Weekly digest");
    expectWithinSlackLimits(body);
  });

  it("`/leadfit report <campaign>` acknowledges, then shows figures beside feedback, and posts them with the chart on request", async () => {
    const body = (await answeredLater("report q4-webinar", "q4-webinar")) as {
      text: string;
      blocks: { elements?: { action_id?: string; value?: string }[] }[];
    };
    expectWithinSlackLimits(body);
    const button = body.blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTIONS.reportPostToChannel);
    expect(button?.value).toBeDefined();
    h.fake.reset();
    const click = await h.send(
      blockAction({
        actionId: ACTIONS.reportPostToChannel,
        value: button?.value,
        userId: USER,
        teamId: h.teamId,
        channelId: CHANNEL,
      }),
    );
    expect(click.status).toBe(200);
    const post = await h.fake.waitFor("chat.postMessage", (c) => c.params.channel === CHANNEL);
    expect(JSON.stringify(post.params.blocks)).toContain("q4-webinar");
    expect(JSON.stringify(post.params.blocks)).not.toContain(ACTIONS.reportPostToChannel);
    await h.fake.waitFor("files.completeUploadExternal", (c) => c.params.thread_ts !== undefined);
  });

  it("`/leadfit report` of an unknown campaign says which campaigns exist", async () => {
    const answer = await answeredLater("report nope", "There is no campaign");
    expect(JSON.stringify(answer)).toContain('There is no campaign \\"nope\\"');
  });

  it("Add context on the digest saves a note for its week and posts it in the thread", async () => {
    const click = await h.send(
      blockAction({
        actionId: ACTIONS.digestAddContext,
        value: WEEK,
        userId: USER,
        teamId: h.teamId,
        channelId: CHANNEL,
        messageTs: "1700000500.000100",
      }),
    );
    expect(click.status).toBe(200);
    const open = await h.fake.openedView(VIEWS.contextNote);
    const view = open.params.view as { private_metadata: string };
    const submitted = await h.send(
      viewSubmission({
        callbackId: VIEWS.contextNote,
        userId: USER,
        teamId: h.teamId,
        privateMetadata: view.private_metadata,
        values: {
          [INPUTS.week]: { [INPUTS.week]: staticSelect(WEEK) },
          [INPUTS.text]: {
            [INPUTS.text]: textInput("Pipeline dipped: two deals slipped to December."),
          },
        },
      }),
    );
    expect(submitted.status).toBe(200);
    const reply = await h.fake.waitFor(
      "chat.postMessage",
      (c) => c.params.thread_ts === "1700000500.000100",
    );
    expect(String(reply.params.text)).toContain("two deals slipped");
    const notes = await h.deps.repos.contextNotes.forWeeks(h.teamId, [WEEK]);
    expect(notes.map((n) => n.text)).toContain("Pipeline dipped: two deals slipped to December.");
  });

  it("Campaign report and Review pending leads answer the person who clicked", async () => {
    /** Clicks a button of the digest message; resolves with what the app answered the clicker. */
    const clickOnDigest = async (actionId: string, value: string) => {
      const responseUrl = h.fake.responseUrl();
      await h.send(
        blockAction({
          actionId,
          value,
          userId: USER,
          teamId: h.teamId,
          channelId: CHANNEL,
          messageTs: "1700000500.000200",
          responseUrl,
        }),
      );
      return h.fake.waitFor("response_url", (c) => c.params.url === responseUrl);
    };
    const report = await clickOnDigest(
      ACTIONS.digestCampaignReport,
      JSON.stringify({ campaign: null, week: WEEK }),
    );
    expect(report.params.response_type).toBe("ephemeral");
    expectWithinSlackLimits({
      text: String(report.params.text),
      blocks: report.params.blocks as object[],
    });
    const pending = await clickOnDigest(ACTIONS.digestReviewPending, WEEK);
    expect(String(pending.params.text)).toMatch(/\d+ leads? wait for a verdict/);
  });
});
