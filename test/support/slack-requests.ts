// Requests as Slack sends them to an app: signed, form-encoded (slash commands, and interactions as a
// `payload` field holding JSON) or JSON (Events API). Used with the app's real HTTP receiver, or
// wrapped in a Socket Mode envelope (`sendOverSocketMode`) carrying the same payload.

import { createHmac } from "node:crypto";
import type { EnvelopeType, FakeSocketMode } from "./fake-socket-mode.ts";

/** Ids shared with the fake Web API (test/support/fake-slack.ts), so both sides agree. */
export const SLACK_DEFAULTS = {
  teamId: "T0LEADFIT01",
  teamName: "Leadfit Test",
  teamDomain: "leadfit-test",
  appId: "A0LEADFIT01",
  botUserId: "U0LEADBOT01",
  botId: "B0LEADBOT01",
  /** The legacy verification token Slack still puts in every payload; Bolt ignores it. */
  verificationToken: "fakeVerificationToken0001",
} as const;

/** Slack's exact content type for commands and interactions; Bolt compares it with `===`. */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
export const JSON_CONTENT_TYPE = "application/json";

export interface SlackRequest {
  body: string;
  contentType: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  headers: Record<string, string>;
}

export interface SendOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed `x-slack-signature` (to send a wrong one). */
  signature?: string;
  /** Extra headers, e.g. `{ "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" }`. */
  headers?: Record<string, string>;
}

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Signing and sending
// ---------------------------------------------------------------------------------------------

/** The two headers Slack adds: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function signSlackRequest(
  body: string,
  secret: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const hash = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": `v0=${hash}`,
  };
}

/** POSTs a Slack-shaped request, signed with `options.secret`, the way Slack does. */
export async function sendToSlackEndpoint(
  url: string,
  request: SlackRequest,
  options: SendOptions,
): Promise<SlackResponse> {
  const headers = new Headers({
    "content-type": request.contentType,
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    accept: "application/json,*/*",
  });
  const signed = signSlackRequest(request.body, options.secret, options.timestamp);
  for (const [name, value] of Object.entries(signed)) headers.set(name, value);
  if (options.signature !== undefined) headers.set("x-slack-signature", options.signature);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);

  const response = await fetch(url, { method: "POST", headers, body: request.body });
  const text = await response.text();
  let json: unknown;
  if (text !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, text, json, headers: Object.fromEntries(response.headers) };
}

/**
 * The same request as Slack delivers it over Socket Mode: the payload in an envelope on the app's
 * WebSocket, answered by an acknowledgement. The answer reads like the HTTP one: 200, and the
 * acknowledgement's payload as the body (empty when it carries none). Socket Mode is not signed,
 * so a test of signatures is HTTP-only; Events API retry headers become the envelope's retry
 * fields.
 */
export async function sendOverSocketMode(
  socketMode: FakeSocketMode,
  request: SlackRequest,
  options: Partial<SendOptions> = {},
): Promise<SlackResponse> {
  // A timestamp only dates a signature; a request sent twice with it is just sent twice here.
  if (options.signature !== undefined) {
    throw new Error("Socket Mode envelopes are not signed: this test is for HTTP only");
  }
  const { type, payload } = envelopeOf(request);
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const retryNum = headers["x-slack-retry-num"];
  const ack = await socketMode.deliver(type, payload, {
    retryAttempt: retryNum === undefined ? undefined : Number(retryNum),
    retryReason: headers["x-slack-retry-reason"],
  });
  const body = ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : undefined;
  return {
    status: 200,
    text: body === undefined ? "" : JSON.stringify(body),
    json: body,
    headers: {},
  };
}

/** Which envelope carries `request`, and its payload as the envelope holds it (parsed). */
function envelopeOf(request: SlackRequest): { type: EnvelopeType; payload: Json } {
  if (request.contentType === JSON_CONTENT_TYPE) {
    const payload = JSON.parse(request.body) as Json;
    if (payload.type !== "event_callback") {
      throw new Error(`Socket Mode carries no ${String(payload.type)} request`);
    }
    return { type: "events_api", payload };
  }
  const form = new URLSearchParams(request.body);
  const interaction = form.get("payload");
  if (interaction !== null) {
    return { type: "interactive", payload: JSON.parse(interaction) as Json };
  }
  if (form.get("ssl_check") !== null) throw new Error("Socket Mode carries no SSL check");
  return { type: "slash_commands", payload: Object.fromEntries(form) };
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** A trigger id shaped like Slack's: `<digits>.<digits>.<32 hex>`. */
export function triggerId(): string {
  const n = next();
  return `${1700000000000 + n}.${digits(n, 10)}.${digits(n, 8)}0f1e2d3c4b5a69788796a5b4`;
}

function actionTs(): string {
  const n = next();
  return `${1700000000 + Math.floor(n / 1000)}.${digits((n % 1000) * 1000 + 123, 6)}`;
}

function viewId(): string {
  return `V0${digits(next(), 9)}`;
}

function viewHash(): string {
  return `${1700000000 + next()}.aBcDeF12`;
}

function responseUrl(kind: "commands" | "actions", teamId: string): string {
  const n = next();
  return `https://hooks.slack.com/${kind}/${teamId}/${digits(n, 13)}/fAkEsEcReT${digits(n, 14)}`;
}

function user(userId: string, teamId: string): Json {
  const name = userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

function team(teamId: string): Json {
  return { id: teamId, domain: SLACK_DEFAULTS.teamDomain };
}

function interaction(payload: Json): SlackRequest {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: FORM_CONTENT_TYPE,
  };
}

// ---------------------------------------------------------------------------------------------
// Input values (view state), shaped exactly as Slack puts them in `view.state.values`
// ---------------------------------------------------------------------------------------------

/** An option as Slack echoes it back: the text it was shown with, and its value. */
export function option(value: string, text: string = value): Json {
  return { text: { type: "plain_text", text, emoji: true }, value };
}

export function radio(value: string | null, text?: string): Json {
  return { type: "radio_buttons", selected_option: value === null ? null : option(value, text) };
}

export function checkboxes(values: string[]): Json {
  return { type: "checkboxes", selected_options: values.map((value) => option(value)) };
}

export function staticSelect(value: string | null, text?: string): Json {
  return { type: "static_select", selected_option: value === null ? null : option(value, text) };
}

export function externalSelect(value: string | null, text?: string): Json {
  return { type: "external_select", selected_option: value === null ? null : option(value, text) };
}

export function multiSelect(values: string[]): Json {
  return { type: "multi_static_select", selected_options: values.map((value) => option(value)) };
}

export function multiExternalSelect(values: string[]): Json {
  return { type: "multi_external_select", selected_options: values.map((value) => option(value)) };
}

/** An empty optional text input arrives as `value: null`. */
export function textInput(value: string | null): Json {
  return { type: "plain_text_input", value };
}

/** Number inputs arrive as strings (or null when empty). */
export function numberInput(value: number | string | null): Json {
  return { type: "number_input", value: value === null ? null : String(value) };
}

export function userSelect(id: string | null): Json {
  return { type: "users_select", selected_user: id };
}

export function usersSelect(ids: string[]): Json {
  return { type: "multi_users_select", selected_users: ids };
}

export function conversationSelect(id: string | null): Json {
  return { type: "conversations_select", selected_conversation: id };
}

export function conversationsSelect(ids: string[]): Json {
  return { type: "multi_conversations_select", selected_conversations: ids };
}

export function channelSelect(id: string | null): Json {
  return { type: "channels_select", selected_channel: id };
}

/** `YYYY-MM-DD` */
export function datePicker(date: string | null): Json {
  return { type: "datepicker", selected_date: date };
}

export function timePicker(time: string | null): Json {
  return { type: "timepicker", selected_time: time };
}

export type StateValues = Record<string, Record<string, object>>;

function modalView(fields: {
  id: string;
  teamId: string;
  callbackId?: string;
  privateMetadata?: string;
  values?: StateValues;
  type?: "modal" | "home";
  blocks?: object[];
  externalId?: string;
  hash?: string;
  rootViewId?: string | null;
  previousViewId?: string | null;
}): Json {
  const type = fields.type ?? "modal";
  return {
    id: fields.id,
    team_id: fields.teamId,
    type,
    blocks: fields.blocks ?? [],
    private_metadata: fields.privateMetadata ?? "",
    callback_id: fields.callbackId ?? "",
    state: { values: fields.values ?? {} },
    hash: fields.hash ?? viewHash(),
    title: { type: "plain_text", text: type === "home" ? "Home" : "Leadfit", emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: type === "home" ? null : { type: "plain_text", text: "Cancel", emoji: true },
    submit: type === "home" ? null : { type: "plain_text", text: "Save", emoji: true },
    previous_view_id: fields.previousViewId ?? null,
    root_view_id: fields.rootViewId === undefined ? fields.id : fields.rootViewId,
    app_id: SLACK_DEFAULTS.appId,
    external_id: fields.externalId ?? "",
    app_installed_team_id: fields.teamId,
    bot_id: SLACK_DEFAULTS.botId,
  };
}

// ---------------------------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------------------------

export interface SlashCommandOptions {
  text: string;
  userId: string;
  channelId: string;
  teamId: string;
  command?: string;
  triggerId?: string;
  responseUrl?: string;
  channelName?: string;
  userName?: string;
}

/** A slash command: plain form fields (no `payload`), in the order Slack sends them. */
export function slashCommand(o: SlashCommandOptions): SlackRequest {
  const fields: Record<string, string> = {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: o.teamId,
    team_domain: SLACK_DEFAULTS.teamDomain,
    channel_id: o.channelId,
    channel_name: o.channelName ?? (o.channelId.startsWith("D") ? "directmessage" : "general"),
    user_id: o.userId,
    user_name: o.userName ?? o.userId.toLowerCase(),
    command: o.command ?? "/leadfit",
    text: o.text,
    api_app_id: SLACK_DEFAULTS.appId,
    is_enterprise_install: "false",
    response_url: o.responseUrl ?? responseUrl("commands", o.teamId),
    trigger_id: o.triggerId ?? triggerId(),
  };
  return { body: new URLSearchParams(fields).toString(), contentType: FORM_CONTENT_TYPE };
}

// ---------------------------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------------------------

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  userId: string;
  teamId: string;
  channelId?: string;
  /** The message the button was in; without it a message action is treated as ephemeral. */
  messageTs?: string;
  /** Defaults to "view" when `viewId` is given, else "message". */
  container?: "message" | "view";
  viewId?: string;
  /** Makes the action a `static_select` with this option chosen. */
  selectedOption?: string | { value: string; text?: string };
  blockId?: string;
  /** `view.callback_id` / `view.private_metadata` / `view.type` for a "view" container. */
  viewCallbackId?: string;
  privateMetadata?: string;
  viewType?: "modal" | "home";
  /** `state.values` (of the message or view). */
  state?: StateValues;
  /** Blocks of the message or view; a placeholder section with the button otherwise. */
  blocks?: object[];
  messageText?: string;
  triggerId?: string;
  responseUrl?: string;
  /** Merged over the generated entry of `actions`. */
  action?: Json;
}

/** `block_actions`, sent as form field `payload`. */
export function blockAction(o: BlockActionOptions): SlackRequest {
  const container = o.container ?? (o.viewId !== undefined ? "view" : "message");
  const blockId = o.blockId ?? "leadfit_actions";
  const ts = actionTs();
  const selected =
    typeof o.selectedOption === "string" ? { value: o.selectedOption } : o.selectedOption;
  const action: Json = selected
    ? {
        type: "static_select",
        action_id: o.actionId,
        block_id: blockId,
        selected_option: option(selected.value, selected.text),
        placeholder: { type: "plain_text", text: "Choose", emoji: true },
        action_ts: ts,
      }
    : {
        action_id: o.actionId,
        block_id: blockId,
        text: { type: "plain_text", text: "Button", emoji: true },
        ...(o.value !== undefined ? { value: o.value } : {}),
        type: "button",
        action_ts: ts,
      };
  const placeholderBlocks = [
    {
      type: "actions",
      block_id: blockId,
      elements: [
        selected
          ? { type: "static_select", action_id: o.actionId }
          : {
              type: "button",
              action_id: o.actionId,
              text: { type: "plain_text", text: "Button", emoji: true },
              ...(o.value !== undefined ? { value: o.value } : {}),
            },
      ],
    },
  ];
  const blocks = o.blocks ?? placeholderBlocks;

  const payload: Json = {
    type: "block_actions",
    user: user(o.userId, o.teamId),
    api_app_id: SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
  };
  if (container === "view") {
    const id = o.viewId ?? viewId();
    payload.container = { type: "view", view_id: id };
    payload.trigger_id = o.triggerId ?? triggerId();
    payload.team = team(o.teamId);
    payload.enterprise = null;
    payload.is_enterprise_install = false;
    payload.view = modalView({
      id,
      teamId: o.teamId,
      callbackId: o.viewCallbackId,
      privateMetadata: o.privateMetadata,
      values: o.state,
      type: o.viewType,
      blocks,
    });
  } else {
    if (o.channelId === undefined) throw new TypeError("blockAction in a message needs channelId");
    const ephemeral = o.messageTs === undefined;
    const messageTs = o.messageTs ?? actionTs();
    payload.container = {
      type: "message",
      message_ts: messageTs,
      channel_id: o.channelId,
      is_ephemeral: ephemeral,
    };
    payload.trigger_id = o.triggerId ?? triggerId();
    payload.team = team(o.teamId);
    payload.enterprise = null;
    payload.is_enterprise_install = false;
    payload.channel = { id: o.channelId, name: "general" };
    if (!ephemeral) {
      payload.message = {
        user: SLACK_DEFAULTS.botUserId,
        type: "message",
        ts: messageTs,
        bot_id: SLACK_DEFAULTS.botId,
        app_id: SLACK_DEFAULTS.appId,
        text: o.messageText ?? "Leadfit message",
        team: o.teamId,
        blocks,
      };
    }
    payload.state = { values: o.state ?? {} };
    payload.response_url = o.responseUrl ?? responseUrl("actions", o.teamId);
  }
  payload.actions = [{ ...action, ...(o.action ?? {}) }];
  return interaction(payload);
}

export interface ViewSubmissionOptions {
  callbackId: string;
  userId: string;
  teamId: string;
  privateMetadata?: string;
  /** `view.state.values`: block id → action id → a value made by `radio()`, `textInput()`, … */
  values: StateValues;
  viewId?: string;
  blocks?: object[];
  externalId?: string;
  hash?: string;
  rootViewId?: string;
  previousViewId?: string;
  triggerId?: string;
  /** Only for modals with `response_url_enabled` inputs. */
  responseUrls?: {
    block_id: string;
    action_id: string;
    channel_id: string;
    response_url: string;
  }[];
}

/** `view_submission`, sent as form field `payload`. */
export function viewSubmission(o: ViewSubmissionOptions): SlackRequest {
  const id = o.viewId ?? viewId();
  return interaction({
    type: "view_submission",
    team: team(o.teamId),
    user: user(o.userId, o.teamId),
    api_app_id: SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
    trigger_id: o.triggerId ?? triggerId(),
    view: modalView({
      id,
      teamId: o.teamId,
      callbackId: o.callbackId,
      privateMetadata: o.privateMetadata,
      values: o.values,
      blocks: o.blocks,
      externalId: o.externalId,
      hash: o.hash,
      rootViewId: o.rootViewId,
      previousViewId: o.previousViewId,
    }),
    response_urls: o.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export interface ViewClosedOptions {
  callbackId: string;
  userId: string;
  teamId: string;
  privateMetadata?: string;
  viewId?: string;
}

/** `view_closed` (only sent for views opened with `notify_on_close: true`). */
export function viewClosed(o: ViewClosedOptions): SlackRequest {
  return interaction({
    type: "view_closed",
    team: team(o.teamId),
    user: user(o.userId, o.teamId),
    api_app_id: SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
    view: modalView({
      id: o.viewId ?? viewId(),
      teamId: o.teamId,
      callbackId: o.callbackId,
      privateMetadata: o.privateMetadata,
    }),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  });
}

export interface BlockSuggestionOptions {
  actionId: string;
  /** What the user has typed so far. */
  value: string;
  userId: string;
  teamId: string;
  blockId?: string;
  viewId?: string;
  viewCallbackId?: string;
  privateMetadata?: string;
}

/** `block_suggestion` (an external_select loading options); the app answers in the HTTP body. */
export function blockSuggestion(o: BlockSuggestionOptions): SlackRequest {
  const id = o.viewId ?? viewId();
  return interaction({
    type: "block_suggestion",
    user: user(o.userId, o.teamId),
    container: { type: "view", view_id: id },
    api_app_id: SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
    action_id: o.actionId,
    block_id: o.blockId ?? o.actionId,
    value: o.value,
    team: team(o.teamId),
    enterprise: null,
    is_enterprise_install: false,
    view: modalView({
      id,
      teamId: o.teamId,
      callbackId: o.viewCallbackId,
      privateMetadata: o.privateMetadata,
    }),
  });
}

export interface MessageShortcutOptions {
  callbackId: string;
  userId: string;
  teamId: string;
  channelId: string;
  messageTs: string;
  messageText: string;
  /** Who wrote the message; defaults to the shortcut's user. */
  messageUserId?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** A message shortcut (`message_action`), sent as form field `payload`. */
export function messageShortcut(o: MessageShortcutOptions): SlackRequest {
  return interaction({
    type: "message_action",
    token: SLACK_DEFAULTS.verificationToken,
    action_ts: actionTs(),
    team: team(o.teamId),
    user: user(o.userId, o.teamId),
    channel: { id: o.channelId, name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? triggerId(),
    response_url: o.responseUrl ?? responseUrl("actions", o.teamId),
    message_ts: o.messageTs,
    message: {
      type: "message",
      user: o.messageUserId ?? o.userId,
      ts: o.messageTs,
      text: o.messageText,
      team: o.teamId,
      blocks: [
        {
          type: "rich_text",
          block_id: "rt0",
          elements: [
            { type: "rich_text_section", elements: [{ type: "text", text: o.messageText }] },
          ],
        },
      ],
    },
  });
}

export interface GlobalShortcutOptions {
  callbackId: string;
  userId: string;
  teamId: string;
  triggerId?: string;
}

/** A global shortcut (`shortcut`), sent as form field `payload`. */
export function globalShortcut(o: GlobalShortcutOptions): SlackRequest {
  return interaction({
    type: "shortcut",
    token: SLACK_DEFAULTS.verificationToken,
    action_ts: actionTs(),
    team: team(o.teamId),
    user: user(o.userId, o.teamId),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? triggerId(),
  });
}

// ---------------------------------------------------------------------------------------------
// Events API
// ---------------------------------------------------------------------------------------------

export interface EventCallbackOptions {
  teamId: string;
  /** The inner event, e.g. `{ type: "app_home_opened", user, channel, tab: "home", event_ts }`. */
  event: object;
  eventId?: string;
  /** Seconds since the epoch. */
  eventTime?: number;
  botUserId?: string;
}

/** An `event_callback`, as JSON, with `authorizations` for the app's bot. */
export function eventCallback(o: EventCallbackOptions): SlackRequest {
  const n = next();
  const payload = {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: o.teamId,
    context_team_id: o.teamId,
    context_enterprise_id: null,
    api_app_id: SLACK_DEFAULTS.appId,
    event: o.event,
    type: "event_callback",
    event_id: o.eventId ?? `Ev0${digits(n, 9)}`,
    event_time: o.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: o.teamId,
        user_id: o.botUserId ?? SLACK_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-eyJldCI6ImZha2UiLCJ0aWQiOiIke${digits(n, 6)}`,
  };
  return { body: JSON.stringify(payload), contentType: JSON_CONTENT_TYPE };
}

/** `app_home_opened`: `userId` opened the app's Home tab. */
export function appHomeOpened(o: { teamId: string; userId: string }): SlackRequest {
  return eventCallback({
    teamId: o.teamId,
    event: {
      type: "app_home_opened",
      user: o.userId,
      channel: `D${o.userId.slice(1)}`,
      tab: "home",
      event_ts: actionTs(),
    },
  });
}

/** The challenge Slack sends when the Events request URL is set. */
export function urlVerification(challenge: string): SlackRequest {
  return {
    body: JSON.stringify({
      token: SLACK_DEFAULTS.verificationToken,
      challenge,
      type: "url_verification",
    }),
    contentType: JSON_CONTENT_TYPE,
  };
}

/** Slack's unsigned SSL check for slash command URLs. */
export function sslCheck(): SlackRequest {
  return {
    body: new URLSearchParams({
      ssl_check: "1",
      token: SLACK_DEFAULTS.verificationToken,
    }).toString(),
    contentType: FORM_CONTENT_TYPE,
  };
}

// ---------------------------------------------------------------------------------------------
// Org-wide (Enterprise Grid) installs
// ---------------------------------------------------------------------------------------------

/**
 * The same request as an org-wide app receives it: an interaction has `team: null`, the
 * enterprise set and the user's `team_id` set to the enterprise id; a slash command keeps its
 * `team_id` and gains `enterprise_id`; both say `is_enterprise_install`.
 */
export function orgWide(
  request: SlackRequest,
  enterprise: { id: string; name: string },
): SlackRequest {
  const form = new URLSearchParams(request.body);
  const payloadText = form.get("payload");
  if (payloadText === null) {
    form.set("enterprise_id", enterprise.id);
    form.set("enterprise_name", enterprise.name);
    form.set("is_enterprise_install", "true");
    return { body: form.toString(), contentType: request.contentType };
  }
  const payload = JSON.parse(payloadText) as Json & { user: Json };
  payload.team = null;
  payload.enterprise = enterprise;
  payload.is_enterprise_install = true;
  payload.user = { ...payload.user, team_id: enterprise.id };
  return interaction(payload);
}
