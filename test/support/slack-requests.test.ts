import type { AddressInfo } from "node:net";
import { App, LogLevel, verifySlackRequest } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import {
  blockAction,
  blockSuggestion,
  conversationSelect,
  eventCallback,
  FORM_CONTENT_TYPE,
  messageShortcut,
  multiSelect,
  numberInput,
  radio,
  SLACK_DEFAULTS,
  type SlackRequest,
  sendToSlackEndpoint,
  signSlackRequest,
  slashCommand,
  sslCheck,
  staticSelect,
  textInput,
  urlVerification,
  usersSelect,
  viewSubmission,
} from "./slack-requests.ts";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TEAM = SLACK_DEFAULTS.teamId;
const now = () => Math.floor(Date.now() / 1000);
/** A ✅ Good fit click on a card posted in a channel. */
const FIT_ON_CARD = {
  actionId: "verdict_fit",
  value: "lead-1",
  userId: "U1",
  teamId: TEAM,
  channelId: "C1",
  messageTs: "1700000000.000100",
};

function verify(body: string, headers: Record<string, string>, secret = SECRET): void {
  verifySlackRequest({
    signingSecret: secret,
    body,
    headers: {
      "x-slack-signature": headers["x-slack-signature"] ?? "",
      "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]),
    },
  });
}

function formFields(request: SlackRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

function payloadOf(request: SlackRequest): Record<string, unknown> {
  expect(request.contentType).toBe(FORM_CONTENT_TYPE);
  const fields = formFields(request);
  expect(Object.keys(fields)).toEqual(["payload"]);
  return JSON.parse(fields.payload ?? "") as Record<string, unknown>;
}

describe("signSlackRequest", () => {
  const body = slashCommand({ text: "help", userId: "U1", channelId: "C1", teamId: TEAM }).body;

  it("makes the two headers Bolt's verifier accepts", () => {
    const headers = signSlackRequest(body, SECRET);
    expect(Object.keys(headers).sort()).toEqual(["x-slack-request-timestamp", "x-slack-signature"]);
    expect(headers["x-slack-signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() => verify(body, headers)).not.toThrow();
  });

  it("matches Slack's documented example", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const example =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signSlackRequest(example, SECRET, 1531420618)["x-slack-signature"]).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });

  it("fails verification for a changed body, a stale timestamp or another secret", () => {
    const headers = signSlackRequest(body, SECRET);
    expect(() => verify(`${body}&extra=1`, headers)).toThrow(/signature mismatch/);
    expect(() => verify(body, signSlackRequest(body, SECRET, now() - 6 * 60))).toThrow(/stale/);
    expect(() => verify(body, headers, "another-secret")).toThrow(/signature mismatch/);
  });
});

describe("payload builders", () => {
  it("builds a slash command as form fields", () => {
    const fields = formFields(
      slashCommand({ text: "digest now", userId: "U1", channelId: "C1", teamId: TEAM }),
    );
    expect(fields).toMatchObject({
      command: "/leadfit",
      text: "digest now",
      user_id: "U1",
      channel_id: "C1",
      team_id: TEAM,
      api_app_id: SLACK_DEFAULTS.appId,
      token: SLACK_DEFAULTS.verificationToken,
      is_enterprise_install: "false",
    });
    expect(fields.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(fields.response_url).toMatch(/^https:\/\/hooks\.slack\.com\/commands\//);
  });

  it("builds block_actions for messages and views", () => {
    const inMessage = payloadOf(blockAction(FIT_ON_CARD));
    expect(inMessage).toMatchObject({
      type: "block_actions",
      team: { id: TEAM },
      user: { id: "U1", team_id: TEAM },
      container: { type: "message", message_ts: "1700000000.000100", channel_id: "C1" },
      channel: { id: "C1" },
      message: { ts: "1700000000.000100", type: "message" },
      actions: [{ action_id: "verdict_fit", value: "lead-1", type: "button" }],
    });
    expect(inMessage.response_url).toMatch(/^https:\/\/hooks\.slack\.com\/actions\//);

    const inView = payloadOf(
      blockAction({
        actionId: "lead_picker",
        userId: "U1",
        teamId: TEAM,
        viewId: "V0123",
        selectedOption: "lead-7",
      }),
    );
    expect(inView).toMatchObject({
      container: { type: "view", view_id: "V0123" },
      view: { id: "V0123", state: { values: {} } },
      actions: [{ type: "static_select", selected_option: { value: "lead-7" } }],
    });
    expect(inView).not.toHaveProperty("response_url");
    expect(inView).not.toHaveProperty("channel");
  });

  it("builds view_submission state values as Slack shapes them", () => {
    const values = {
      verdict: { verdict: radio("fit") },
      reasons: { reasons: multiSelect(["budget", "timing"]) },
      note: { note: textInput("Great call") },
      week: { week: numberInput(48) },
      channel: { channel: conversationSelect("C0DIGEST01") },
      admins: { admins: usersSelect(["U1", "U2"]) },
      metric: { metric: staticSelect("sql") },
    };
    const payload = payloadOf(
      viewSubmission({
        callbackId: "feedback_modal",
        userId: "U1",
        teamId: TEAM,
        privateMetadata: '{"lead":"7"}',
        values,
      }),
    );
    expect(payload).toMatchObject({
      type: "view_submission",
      team: { id: TEAM },
      user: { id: "U1", team_id: TEAM },
      view: {
        callback_id: "feedback_modal",
        private_metadata: '{"lead":"7"}',
        type: "modal",
        app_installed_team_id: TEAM,
        state: {
          values: {
            verdict: {
              verdict: {
                type: "radio_buttons",
                selected_option: { value: "fit", text: { type: "plain_text", text: "fit" } },
              },
            },
            reasons: {
              reasons: {
                type: "multi_static_select",
                selected_options: [{ value: "budget" }, { value: "timing" }],
              },
            },
            note: { note: { type: "plain_text_input", value: "Great call" } },
            week: { week: { type: "number_input", value: "48" } },
            channel: {
              channel: { type: "conversations_select", selected_conversation: "C0DIGEST01" },
            },
            admins: { admins: { type: "multi_users_select", selected_users: ["U1", "U2"] } },
            metric: { metric: { type: "static_select", selected_option: { value: "sql" } } },
          },
        },
      },
    });
  });

  it("builds events as JSON with authorizations", () => {
    const request = eventCallback({
      teamId: TEAM,
      event: { type: "app_home_opened", user: "U1", channel: "D1", tab: "home" },
    });
    expect(request.contentType).toBe("application/json");
    expect(JSON.parse(request.body)).toMatchObject({
      type: "event_callback",
      team_id: TEAM,
      api_app_id: SLACK_DEFAULTS.appId,
      event: { type: "app_home_opened" },
      authorizations: [{ team_id: TEAM, user_id: SLACK_DEFAULTS.botUserId, is_bot: true }],
    });
  });
});

describe("Slack-shaped requests against a real Bolt app", () => {
  let fake: FakeSlack;
  let app: App;
  let endpoint: string;
  const seen: Record<string, unknown> = {};

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: "xoxb-bolt-test",
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });

    app.command("/leadfit", async ({ command, ack, respond }) => {
      seen.command = command;
      await ack({ response_type: "ephemeral", text: `You said: ${command.text}` });
      await respond({ text: "Done" });
    });
    app.action("verdict_fit", async ({ ack, body, client }) => {
      await ack();
      seen.action = body;
      if (body.type === "block_actions" && body.channel) {
        await client.chat.postEphemeral({
          channel: body.channel.id,
          user: body.user.id,
          text: "Saved",
        });
      }
    });
    app.view("feedback_modal", async ({ ack, view }) => {
      const week = view.state.values.week?.week?.value;
      if (week !== "48") {
        await ack({ response_action: "errors", errors: { week: "Pick a week" } });
        return;
      }
      seen.values = view.state.values;
      await ack();
    });
    app.options("lead_picker", async ({ ack, payload }) => {
      await ack({
        options: [{ text: { type: "plain_text", text: `Lead ${payload.value}` }, value: "lead-1" }],
      });
    });
    app.shortcut("add_context_note", async ({ ack, shortcut, client }) => {
      await ack();
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: {
          type: "modal",
          callback_id: "context_note_modal",
          title: { type: "plain_text", text: "Note" },
          blocks: [],
        },
      });
    });
    app.event("app_home_opened", async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: "home", blocks: [] } });
    });

    const server = (await app.start(0)) as unknown as { address(): AddressInfo };
    endpoint = `http://127.0.0.1:${server.address().port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  const send = (request: SlackRequest, options: { timestamp?: number; signature?: string } = {}) =>
    sendToSlackEndpoint(endpoint, request, { secret: SECRET, ...options });

  it("answers a slash command in the HTTP body and via response_url", async () => {
    const responseUrl = fake.responseUrl();
    const result = await send(
      slashCommand({
        text: "digest now",
        userId: "U1",
        channelId: "C1",
        teamId: TEAM,
        responseUrl,
      }),
    );
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ response_type: "ephemeral", text: "You said: digest now" });
    expect(seen.command).toMatchObject({ command: "/leadfit", text: "digest now", user_id: "U1" });
    const responded = await fake.waitFor("response_url");
    expect(responded.params).toMatchObject({ text: "Done", url: responseUrl });
  });

  it("rejects a wrong signature and a stale timestamp with 401", async () => {
    const request = slashCommand({ text: "x", userId: "U1", channelId: "C1", teamId: TEAM });
    expect((await send(request, { signature: `v0=${"0".repeat(64)}` })).status).toBe(401);
    expect((await send(request, { timestamp: now() - 10 * 60 })).status).toBe(401);
    const unsigned = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": request.contentType },
      body: request.body,
    });
    expect(unsigned.status).toBe(401);
  });

  it("routes a block action and lets the listener call the Web API", async () => {
    const result = await send(blockAction(FIT_ON_CARD));
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    const call = await fake.waitFor("chat.postEphemeral");
    // Bolt adds the workspace's team_id to every call its listeners make.
    expect(call.params).toMatchObject({ channel: "C1", user: "U1", text: "Saved", team_id: TEAM });
    expect(call.token).toBe("xoxb-bolt-test");
  });

  it("returns view_submission errors in the HTTP body", async () => {
    const values = { week: { week: numberInput(47) } };
    const bad = await send(
      viewSubmission({ callbackId: "feedback_modal", userId: "U1", teamId: TEAM, values }),
    );
    expect(bad.json).toEqual({ response_action: "errors", errors: { week: "Pick a week" } });

    const good = await send(
      viewSubmission({
        callbackId: "feedback_modal",
        userId: "U1",
        teamId: TEAM,
        values: { week: { week: numberInput(48) }, verdict: { verdict: radio("fit") } },
      }),
    );
    expect(good.status).toBe(200);
    expect(good.text).toBe("");
    expect(seen.values).toMatchObject({
      verdict: { verdict: { selected_option: { value: "fit" } } },
    });
  });

  it("answers block_suggestion with options in the HTTP body", async () => {
    const result = await send(
      blockSuggestion({ actionId: "lead_picker", value: "acme", userId: "U1", teamId: TEAM }),
    );
    expect(result.json).toEqual({
      options: [{ text: { type: "plain_text", text: "Lead acme" }, value: "lead-1" }],
    });
  });

  it("routes a message shortcut, whose trigger_id opens a modal", async () => {
    const request = messageShortcut({
      callbackId: "add_context_note",
      userId: "U1",
      teamId: TEAM,
      channelId: "C1",
      messageTs: "1700000000.000200",
      messageText: "Q3 campaign started",
      triggerId: "111.222.abc",
    });
    expect((await send(request)).status).toBe(200);
    const call = await fake.waitFor("views.open");
    expect(call.params).toMatchObject({
      trigger_id: "111.222.abc",
      view: { callback_id: "context_note_modal" },
    });
  });

  it("routes events and answers url_verification and ssl_check", async () => {
    const event = eventCallback({
      teamId: TEAM,
      event: {
        type: "app_home_opened",
        user: "U1",
        channel: "D1",
        tab: "home",
        event_ts: "1700000000.000300",
      },
    });
    expect((await send(event)).status).toBe(200);
    expect((await fake.waitFor("views.publish")).params).toMatchObject({ user_id: "U1" });

    const challenge = await send(
      urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"),
    );
    expect(challenge.json).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });

    expect((await send(sslCheck(), { signature: "v0=nope" })).status).toBe(200);
  });
});
