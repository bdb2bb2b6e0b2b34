// A local stand-in for Slack's Web API. Point the real `@slack/web-api` client at `url` (Bolt:
// `clientOptions: { slackApiUrl: fake.url }`); every call is recorded and answered like Slack would.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { attachFakeSocketMode, type FakeSocketMode } from "./fake-socket-mode.ts";
import { SLACK_DEFAULTS } from "./slack-requests.ts";

export interface FakeSlackCall {
  method: string;
  /** Form, JSON or multipart fields; `blocks`, `view`, `attachments`, `files`, `metadata` parsed. */
  params: Record<string, unknown>;
  /** From `Authorization: Bearer`, else the `token` field (which is left out of `params`). */
  token: string | undefined;
  /** `Date.now()` when the request arrived. */
  at: number;
}

export type FakeSlackHandler = (
  params: Record<string, unknown>,
  call: FakeSlackCall,
  /** The fake's default answer for this call. */
  fallback: () => Promise<object>,
) => object | Promise<object>;

export interface FakeSlackFailure {
  /** HTTP status; 200 when only `body` is given. A 429 gets `Retry-After: 1` unless set. */
  status?: number;
  /** Defaults to `{ ok: false, error: "ratelimited" | "internal_error" }` for a non-200 status. */
  body?: object;
  headers?: Record<string, string>;
  /** How many calls in a row this fault applies to (default 1). */
  times?: number;
  /** Wait this long before answering (alone: then answer normally). */
  delayMs?: number;
  /** Only calls whose parameters match fail (e.g. one channel); others pass untouched. */
  when?: (params: Record<string, unknown>) => boolean;
}

export interface FakeSlackUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
}

export interface FakeSlackOptions {
  teamId?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** Granted bot scopes (oauth.v2.access `scope`, `x-oauth-scopes` header). */
  scopes?: string[];
  /**
   * Slack's rate limits, answered with 429 and Retry-After, per token (a token is a workspace):
   * calls per minute per method (Slack's tiers), and chat.postMessage per channel (one a second
   * with short bursts).
   */
  rateLimits?: {
    perMinute?: Record<string, number>;
    perChannel?: { perSecond: number; burst: number };
  };
  /** How long Socket Mode waits for an acknowledgement before delivering again (Slack: 3 s). */
  socketAckTimeoutMs?: number;
}

export interface FakeSlack {
  /** "http://127.0.0.1:<port>/api/": the `slackApiUrl`. */
  url: string;
  /** "http://127.0.0.1:<port>" */
  origin: string;
  teamId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The bot token `oauth.v2.access` hands out. */
  botToken: string;
  /** Socket Mode: `apps.connections.open` with `socketMode.appToken` connects here. */
  socketMode: FakeSocketMode;
  calls(method?: string): FakeSlackCall[];
  /** Resolves with the first recorded call (past or future) for `method` matching `predicate`. */
  waitFor(
    method: string,
    predicate?: (call: FakeSlackCall) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackCall>;
  /** Resolves with the first `views.open` call (past or future) of the modal `callbackId`. */
  openedView(callbackId: string): Promise<FakeSlackCall>;
  respond(method: string, handler: FakeSlackHandler): void;
  failNext(method: string, failure: FakeSlackFailure): void;
  /**
   * Overrides fields of the user `users.info` returns for `id`; one given a `profile.email` is
   * found by `users.lookupByEmail`.
   */
  setUser(id: string, partial: Record<string, unknown>): void;
  /**
   * Overrides fields of the channel `conversations.info` returns for `id` (defaults: public,
   * `is_member: true`). With `is_member: false`, chat.postMessage there fails with
   * `not_in_channel` until `conversations.join`.
   */
  setChannel(id: string, partial: Record<string, unknown>): void;
  /** Bytes POSTed to upload URLs from `files.getUploadURLExternal`. */
  uploads(): FakeSlackUpload[];
  /** The top-level messages posted to a channel, oldest first. */
  messages(channel: string): Record<string, unknown>[];
  /**
   * A `response_url` on this server; POSTs to it are recorded as method "response_url", with the
   * JSON body plus `url` as params.
   */
  responseUrl(name?: string): string;
  /** Forgets calls, uploads, `respond` overrides, queued faults, users and channels set. */
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const JSON_FIELDS = ["blocks", "view", "attachments", "files", "metadata"];
const NO_TOKEN_METHODS = new Set([
  "oauth.v2.access",
  "oauth.access",
  "oauth.v2.exchange",
  "api.test",
]);
const MIME_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
};

interface FileRecord {
  id: string;
  filename: string;
  title: string;
  length: number;
  created: number;
}

interface Waiter {
  method: string;
  predicate: (call: FakeSlackCall) => boolean;
  resolve: (call: FakeSlackCall) => void;
  reject: (error: Error) => void;
}

interface QueuedFailure extends FakeSlackFailure {
  remaining: number;
}

class MethodError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function ok(fields: Json = {}): Json {
  return { ok: true, ...fields };
}

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function required(params: Json, name: string, error = "invalid_arguments"): string {
  const value = str(params[name]);
  if (value === undefined || value === "") throw new MethodError(error);
  return value;
}

function parseJsonFields(params: Json): Json {
  for (const field of JSON_FIELDS) {
    const value = params[field];
    if (typeof value !== "string") continue;
    const trimmed = value.trim();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) continue;
    try {
      params[field] = JSON.parse(trimmed);
    } catch {
      // leave it as sent; Slack would answer invalid_arguments / invalid_blocks_format
    }
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseParams(
  req: IncomingMessage,
  body: Buffer,
  query: URLSearchParams,
): Promise<Json> {
  const params: Json = Object.fromEntries(query);
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return params;
  if (contentType.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed !== null && typeof parsed === "object") Object.assign(params, parsed);
  } else if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(body, {
      headers: { "content-type": req.headers["content-type"] ?? "" },
    }).formData();
    for (const [key, value] of form) {
      params[key] = typeof value === "string" ? value : Buffer.from(await value.arrayBuffer());
    }
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  }
  return params;
}

/** The current UTC offset of `timeZone` in seconds, as Slack's `tz_offset`. */
function tzOffset(timeZone: string, at = new Date()): number {
  try {
    const name =
      new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
        .formatToParts(at)
        .find((part) => part.type === "timeZoneName")?.value ?? "GMT";
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  } catch {
    return 0;
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  const teamName = options.teamName ?? SLACK_DEFAULTS.teamName;
  const botUserId = options.botUserId ?? SLACK_DEFAULTS.botUserId;
  const botId = options.botId ?? SLACK_DEFAULTS.botId;
  const appId = options.appId ?? SLACK_DEFAULTS.appId;
  const scopes = options.scopes ?? [
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:read",
    "users:read",
  ];
  const domain = teamName.toLowerCase().replace(/[^a-z0-9]+/g, "-") || "workspace";
  const botToken = `xoxb-1000000000001-${teamId}-fakeBotToken`;

  let recorded: FakeSlackCall[] = [];
  let uploaded: FakeSlackUpload[] = [];
  let handlers = new Map<string, FakeSlackHandler>();
  let faults = new Map<string, QueuedFailure[]>();
  let users = new Map<string, Json>();
  let channels = new Map<string, Json>();
  let files = new Map<string, FileRecord>();
  /** Top-level messages posted per channel, oldest first, for conversations.history. */
  let history = new Map<string, Json[]>();
  let viewHashes = new Map<string, string>();
  const waiters = new Set<Waiter>();
  const minuteWindows = new Map<string, number[]>();
  const channelBuckets = new Map<string, { tokens: number; at: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;
  let origin = "";

  const nextN = (): number => {
    counter += 1;
    return counter;
  };
  // Like Slack's: the time in microseconds, so messages sort by time and `oldest` works; a ts
  // asked for within the same microsecond as the last one gets the next microsecond.
  let lastMicros = 0;
  const nextTs = (): string => {
    lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
    return `${Math.floor(lastMicros / 1_000_000)}.${String(lastMicros % 1_000_000).padStart(6, "0")}`;
  };
  const nextId = (prefix: string): string => `${prefix}0${String(nextN()).padStart(9, "0")}`;
  const nextHash = (): string =>
    `${Math.floor(Date.now() / 1000)}.${String(nextN()).padStart(8, "0")}`;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  function record(call: FakeSlackCall): void {
    recorded.push(call);
    for (const waiter of waiters) {
      if (waiter.method === call.method && waiter.predicate(call)) {
        waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  /** Seconds to wait when this call is over a rate limit, else undefined (and the call counts). */
  function rateLimited(
    method: string,
    params: Json,
    token: string | undefined,
  ): number | undefined {
    const limits = options.rateLimits;
    if (!limits) return undefined;
    const now = Date.now();
    const windowKey = `${token}|${method}`;
    const perMinute = limits.perMinute?.[method];
    const recent = (minuteWindows.get(windowKey) ?? []).filter((at) => at > now - 60_000);
    if (perMinute !== undefined && recent.length >= perMinute) {
      return Math.max(1, Math.ceil(((recent[0] ?? now) + 60_000 - now) / 1000));
    }
    const channel = str(params.channel);
    if (method === "chat.postMessage" && limits.perChannel && channel) {
      const { perSecond, burst } = limits.perChannel;
      const bucketKey = `${token}|${channel}`;
      const bucket = channelBuckets.get(bucketKey) ?? { tokens: burst, at: now };
      const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      if (tokens < 1) return Math.max(1, Math.ceil((1 - tokens) / perSecond));
      channelBuckets.set(bucketKey, { tokens: tokens - 1, at: now });
    }
    minuteWindows.set(windowKey, [...recent, now]);
    return undefined;
  }

  // --- state lookups -------------------------------------------------------------------------

  function userInfo(id: string): Json {
    const isBot = id === botUserId;
    const name = isBot ? "leadfit" : id.toLowerCase();
    const base: Json = {
      id,
      team_id: teamId,
      name,
      deleted: false,
      color: "9f69e7",
      real_name: isBot ? "Leadfit" : `User ${id}`,
      tz: "Europe/Berlin",
      tz_label: "Central European Time",
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: isBot,
      is_app_user: false,
      updated: 1700000000,
      is_email_confirmed: !isBot,
      profile: {
        real_name: isBot ? "Leadfit" : `User ${id}`,
        display_name: name,
        team: teamId,
        ...(isBot ? { bot_id: botId } : { email: `${name}@example.com` }),
      },
    };
    const merged = { ...base, ...(users.get(id) ?? {}) };
    if (!("tz_offset" in (users.get(id) ?? {}))) merged.tz_offset = tzOffset(String(merged.tz));
    return merged;
  }

  function channelInfo(id: string): Json {
    const isDm = id.startsWith("D");
    const base: Json = isDm
      ? { id, created: 1700000000, is_im: true, is_org_shared: false, user: "U0000000001" }
      : {
          id,
          name: `channel-${id.toLowerCase()}`,
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: false,
          is_archived: false,
          is_general: false,
          is_shared: false,
          is_ext_shared: false,
          is_org_shared: false,
          is_member: true,
          created: 1700000000,
          creator: "U0000000001",
          context_team_id: teamId,
          topic: { value: "", creator: "", last_set: 0 },
          purpose: { value: "", creator: "", last_set: 0 },
        };
    return { ...base, ...(channels.get(id) ?? {}) };
  }

  /** chat.postMessage to a user id opens (here: names) the DM channel. */
  function conversationFor(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
  }

  function checkPostable(channel: string): void {
    const known = channels.get(channel);
    if (known?.is_archived === true) throw new MethodError("is_archived");
    if (known && known.is_member === false) throw new MethodError("not_in_channel");
  }

  function checkMessage(params: Json): void {
    const { blocks, attachments } = params;
    const text = str(params.text);
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    if (!hasBlocks && !text && !attachments) throw new MethodError("no_text");
    if (Array.isArray(blocks) && blocks.length > 50) throw new MethodError("invalid_blocks");
  }

  function messageFor(params: Json, ts: string): Json {
    const message: Json = {
      user: botUserId,
      type: "message",
      ts,
      bot_id: botId,
      app_id: appId,
      text: str(params.text) ?? "",
      team: teamId,
      bot_profile: { id: botId, app_id: appId, name: "Leadfit", deleted: false, team_id: teamId },
    };
    if (params.blocks !== undefined) message.blocks = params.blocks;
    if (params.attachments !== undefined) message.attachments = params.attachments;
    if (params.metadata !== undefined) message.metadata = params.metadata;
    const threadTs = str(params.thread_ts);
    if (threadTs) message.thread_ts = threadTs;
    return message;
  }

  function viewFor(params: Json, id: string, hash: string): Json {
    const view = (params.view && typeof params.view === "object" ? params.view : {}) as Json;
    if (Array.isArray(view.blocks) && view.blocks.length > 100) {
      throw new MethodError("invalid_arguments");
    }
    return {
      id,
      team_id: teamId,
      type: view.type ?? "modal",
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? "",
      callback_id: view.callback_id ?? "",
      state: { values: {} },
      hash,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: null,
      root_view_id: id,
      app_id: appId,
      external_id: view.external_id ?? "",
      app_installed_team_id: teamId,
      bot_id: botId,
    };
  }

  function fileFor(record: FileRecord): Json {
    const ext = record.filename.includes(".") ? (record.filename.split(".").pop() ?? "") : "";
    const mimetype = MIME_TYPES[ext.toLowerCase()] ?? "application/octet-stream";
    const slug = record.filename.toLowerCase().replace(/[^a-z0-9.]+/g, "_");
    return {
      id: record.id,
      created: record.created,
      timestamp: record.created,
      name: record.filename,
      title: record.title,
      mimetype,
      filetype: ext.toLowerCase() || "binary",
      pretty_type: ext.toUpperCase() || "Binary",
      user: botUserId,
      user_team: teamId,
      size: record.length,
      mode: "hosted",
      is_external: false,
      is_public: false,
      url_private: `https://files.slack.com/files-pri/${teamId}-${record.id}/${slug}`,
      url_private_download: `https://files.slack.com/files-pri/${teamId}-${record.id}/download/${slug}`,
      permalink: `https://${domain}.slack.com/files/${botUserId}/${record.id}/${slug}`,
      shares: {},
      channels: [],
      groups: [],
      ims: [],
    };
  }

  // --- default answers -----------------------------------------------------------------------

  async function defaultAnswer(method: string, params: Json, token?: string): Promise<Json> {
    switch (method) {
      case "apps.connections.open":
        return socketMode.open(token);
      case "api.test":
        return ok({ args: params });
      case "auth.test":
        return ok({
          url: `https://${domain}.slack.com/`,
          team: teamName,
          user: "leadfit",
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          is_enterprise_install: false,
        });
      case "chat.postMessage": {
        const channel = conversationFor(required(params, "channel", "channel_not_found"));
        checkPostable(channel);
        checkMessage(params);
        const ts = nextTs();
        const message = messageFor(params, ts);
        if (!message.thread_ts) history.set(channel, [...(history.get(channel) ?? []), message]);
        return ok({ channel, ts, message });
      }
      case "chat.update": {
        const channel = required(params, "channel", "channel_not_found");
        const ts = required(params, "ts", "message_not_found");
        checkMessage(params);
        return ok({
          channel,
          ts,
          text: str(params.text) ?? "",
          message: { ...messageFor(params, ts), edited: { user: botUserId, ts: nextTs() } },
        });
      }
      case "chat.postEphemeral": {
        const channel = required(params, "channel", "channel_not_found");
        required(params, "user", "user_not_found");
        checkPostable(channel);
        checkMessage(params);
        return ok({ message_ts: nextTs() });
      }
      case "conversations.history": {
        const channel = required(params, "channel", "channel_not_found");
        const oldest = Number(str(params.oldest) ?? "0");
        const limit = Number(str(params.limit) ?? "100");
        const messages = (history.get(channel) ?? [])
          .filter((m) => Number(m.ts) > oldest)
          .reverse()
          .slice(0, limit);
        return ok({ messages, has_more: false });
      }
      case "chat.delete":
        return ok({
          channel: required(params, "channel", "channel_not_found"),
          ts: required(params, "ts", "message_not_found"),
        });
      case "chat.getPermalink": {
        const channel = required(params, "channel", "channel_not_found");
        const ts = required(params, "message_ts", "message_not_found");
        return ok({
          channel,
          permalink: `https://${domain}.slack.com/archives/${channel}/p${ts.replace(".", "")}`,
        });
      }
      case "views.open":
      case "views.push": {
        required(params, "trigger_id");
        const id = nextId("V");
        const hash = nextHash();
        viewHashes.set(id, hash);
        return ok({ view: viewFor(params, id, hash) });
      }
      case "views.update": {
        const id = str(params.view_id) ?? nextId("V");
        const known = viewHashes.get(id);
        const sent = str(params.hash);
        if (known !== undefined && sent !== undefined && sent !== known) {
          throw new MethodError("hash_conflict");
        }
        const hash = nextHash();
        viewHashes.set(id, hash);
        return ok({ view: viewFor(params, id, hash) });
      }
      case "views.publish": {
        required(params, "user_id", "user_not_found");
        const id = nextId("V");
        const hash = nextHash();
        viewHashes.set(id, hash);
        return ok({ view: { ...viewFor(params, id, hash), type: "home" } });
      }
      case "users.info":
        return ok({ user: userInfo(required(params, "user", "user_not_found")) });
      case "users.lookupByEmail": {
        // Slack finds users by their profile's email: here, the users setUser gave one.
        const email = required(params, "email", "users_not_found").toLowerCase();
        const found = [...users.keys()]
          .map((id) => userInfo(id))
          .find((user) => String((user.profile as Json).email).toLowerCase() === email);
        if (!found) throw new MethodError("users_not_found");
        return ok({ user: found });
      }
      case "team.info":
        return ok({
          team: {
            id: teamId,
            name: teamName,
            url: `https://${domain}.slack.com/`,
            domain,
            email_domain: "example.com",
            icon: {
              image_default: true,
              image_34: "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
            },
            avatar_base_url: "https://ca.slack-edge.com/",
            is_verified: false,
          },
        });
      case "conversations.info":
        return ok({ channel: channelInfo(required(params, "channel", "channel_not_found")) });
      case "conversations.join": {
        const id = required(params, "channel", "channel_not_found");
        const info = channelInfo(id);
        if (info.is_private === true || info.is_im === true) {
          throw new MethodError("method_not_supported_for_channel_type");
        }
        if (info.is_archived === true) throw new MethodError("is_archived");
        channels.set(id, { ...(channels.get(id) ?? {}), is_member: true });
        return ok({ channel: channelInfo(id) });
      }
      case "files.getUploadURLExternal": {
        const filename = required(params, "filename");
        const length = Number(required(params, "length"));
        if (!Number.isInteger(length) || length < 1) throw new MethodError("invalid_arguments");
        const id = nextId("F");
        files.set(id, {
          id,
          filename,
          title: filename,
          length,
          created: Math.floor(Date.now() / 1000),
        });
        return ok({ upload_url: `${origin}/upload/v1/${id}`, file_id: id });
      }
      case "files.completeUploadExternal": {
        const list = params.files;
        if (!Array.isArray(list) || list.length === 0) throw new MethodError("invalid_arguments");
        const completed = list.map((entry) => {
          const { id, title } = (entry ?? {}) as { id?: string; title?: string };
          if (!id) throw new MethodError("invalid_arguments");
          const file = files.get(id) ?? {
            id,
            filename: title ?? "Untitled",
            title: title ?? "Untitled",
            length: 0,
            created: Math.floor(Date.now() / 1000),
          };
          if (title) file.title = title;
          files.set(id, file);
          return fileFor(file);
        });
        return ok({ files: completed });
      }
      case "files.info": {
        const id = required(params, "file", "file_not_found");
        const file = files.get(id);
        if (!file) throw new MethodError("file_not_found");
        return ok({ file: fileFor(file) });
      }
      case "oauth.v2.access":
        if (!str(params.code) && !str(params.refresh_token)) throw new MethodError("invalid_code");
        return ok({
          app_id: appId,
          authed_user: { id: "U0INSTALLER" },
          scope: scopes.join(","),
          token_type: "bot",
          access_token: botToken,
          bot_user_id: botUserId,
          team: { id: teamId, name: teamName },
          enterprise: null,
          is_enterprise_install: false,
        });
      default:
        throw new MethodError("unknown_method");
    }
  }

  // --- HTTP ----------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body: unknown, headers: Json = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": typeof body === "string" ? "text/plain" : "application/json; charset=utf-8",
      "x-oauth-scopes": scopes.join(","),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
    });
    res.end(text);
  }

  async function answerMethod(
    res: ServerResponse,
    method: string,
    req: IncomingMessage,
    body: Buffer,
    query: URLSearchParams,
  ): Promise<void> {
    let params: Json;
    try {
      params = parseJsonFields(await parseParams(req, body, query));
    } catch {
      send(res, 200, { ok: false, error: "invalid_form_data" });
      return;
    }
    const header = req.headers.authorization;
    const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
    const bodyToken = str(params.token);
    delete params.token;
    const call: FakeSlackCall = { method, params, token: bearer ?? bodyToken, at: Date.now() };
    record(call);

    const wait = rateLimited(method, params, call.token);
    if (wait !== undefined) {
      send(res, 429, { ok: false, error: "ratelimited" }, { "Retry-After": String(wait) });
      return;
    }

    const queue = faults.get(method) ?? [];
    const fault = queue.find((f) => !f.when || f.when(params));
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) queue.splice(queue.indexOf(fault), 1);
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined || fault.body !== undefined) {
        const status = fault.status ?? 200;
        const headers: Json = { ...(fault.headers ?? {}) };
        const hasRetryAfter = Object.keys(headers).some((k) => k.toLowerCase() === "retry-after");
        if (status === 429 && !hasRetryAfter) headers["Retry-After"] = "1";
        const failureBody =
          fault.body ??
          (status === 200
            ? { ok: true }
            : { ok: false, error: status === 429 ? "ratelimited" : "internal_error" });
        send(res, status, failureBody, headers);
        return;
      }
    }

    const fallback = async (): Promise<Json> => {
      try {
        if (!call.token && !NO_TOKEN_METHODS.has(method)) throw new MethodError("not_authed");
        return await defaultAnswer(method, params, call.token);
      } catch (error) {
        if (error instanceof MethodError) return { ok: false, error: error.code };
        throw error;
      }
    };
    let answer: object;
    try {
      const handler = handlers.get(method);
      answer = handler
        ? { ok: true, ...(await handler(params, call, fallback)) }
        : await fallback();
    } catch (error) {
      answer = {
        ok: false,
        error: "fake_slack_handler_threw",
        detail: error instanceof Error ? error.message : String(error),
      };
    }
    send(res, 200, answer);
  }

  async function answerUpload(
    res: ServerResponse,
    fileId: string,
    req: IncomingMessage,
    body: Buffer,
  ) {
    const file = files.get(fileId);
    if (!file) {
      send(res, 404, "Not Found");
      return;
    }
    let bytes = body;
    if ((req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data")) {
      // @slack/web-api sends the bytes as a multipart part (named "body", filename "Untitled").
      const form = await new Response(body, {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      }).formData();
      for (const [, value] of form) {
        if (typeof value !== "string") {
          bytes = Buffer.from(await value.arrayBuffer());
          break;
        }
      }
    }
    uploaded.push({ fileId, filename: file.filename, bytes });
    send(res, 200, `OK - ${bytes.length}`);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = await readBody(req);
      const path = url.pathname;
      if (path.startsWith("/api/")) {
        await answerMethod(
          res,
          decodeURIComponent(path.slice("/api/".length)),
          req,
          body,
          url.searchParams,
        );
      } else if (path.startsWith("/upload/v1/") && req.method === "POST") {
        await answerUpload(res, path.slice("/upload/v1/".length), req, body);
      } else if (path.startsWith("/response/") && req.method === "POST") {
        let params: Json = {};
        try {
          params = parseJsonFields(await parseParams(req, body, url.searchParams));
        } catch {
          params = { raw: body.toString("utf8") };
        }
        record({
          method: "response_url",
          params: { ...params, url: `${origin}${path}` },
          token: undefined,
          at: Date.now(),
        });
        send(res, 200, "ok");
      } else {
        send(res, 404, "Not Found");
      }
    })().catch((error: unknown) => {
      send(res, 500, { ok: false, error: "fake_slack_crashed", detail: String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const socketMode = attachFakeSocketMode(server, () => origin, {
    appId,
    ackTimeoutMs: options.socketAckTimeoutMs,
  });

  const fake: FakeSlack = {
    url: `${origin}/api/`,
    origin,
    teamId,
    teamName,
    botUserId,
    botId,
    appId,
    botToken,
    socketMode,
    calls(method) {
      return method === undefined ? [...recorded] : recorded.filter((c) => c.method === method);
    },
    waitFor(method, predicate = () => true, timeoutMs = 5000) {
      const found = recorded.find((c) => c.method === method && predicate(c));
      if (found) return Promise.resolve(found);
      return new Promise<FakeSlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            timers.delete(timer);
            resolve(call);
          },
          reject: (error) => {
            clearTimeout(timer);
            timers.delete(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          timers.delete(timer);
          waiters.delete(waiter);
          const seen = recorded.map((c) => c.method).join(", ") || "none";
          reject(
            new Error(
              `fake Slack: no matching ${method} call within ${timeoutMs} ms (calls: ${seen})`,
            ),
          );
        }, timeoutMs);
        timers.add(timer);
        waiters.add(waiter);
      });
    },
    openedView(callbackId) {
      return fake.waitFor(
        "views.open",
        (c) => (c.params.view as { callback_id?: string }).callback_id === callbackId,
      );
    },
    respond(method, handler) {
      handlers.set(method, handler);
    },
    failNext(method, failure) {
      const queue = faults.get(method) ?? [];
      queue.push({ ...failure, remaining: failure.times ?? 1 });
      faults.set(method, queue);
    },
    setUser(id, partial) {
      users.set(id, { ...(users.get(id) ?? {}), ...partial });
    },
    setChannel(id, partial) {
      channels.set(id, { ...(channels.get(id) ?? {}), ...partial });
    },
    uploads() {
      return [...uploaded];
    },
    messages(channel) {
      return [...(history.get(channel) ?? [])];
    },
    responseUrl(name = String(nextN())) {
      return `${origin}/response/${encodeURIComponent(name)}`;
    },
    reset() {
      recorded = [];
      uploaded = [];
      handlers = new Map();
      faults = new Map();
      users = new Map();
      channels = new Map();
      files = new Map();
      history = new Map();
      viewHashes = new Map();
    },
    async close() {
      socketMode.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) waiter.reject(new Error("fake Slack closed"));
      waiters.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
