import { createRequire } from "node:module";
import type { View } from "@slack/types";
import type * as SlackWebApi from "@slack/web-api";
import type { WebClientOptions } from "@slack/web-api";
import type { Config } from "../../config.ts";
import type { InstallationRepository } from "../../db/repositories/installation-repository.ts";
import { AppError } from "../../domain/app-error.ts";
import type { Logger } from "../../log.ts";
import type { Message } from "../../presentation/slack/message.ts";

// CommonJS, loaded with require: see "CommonJS packages" in the README's Footprint.
const { ErrorCode, LogLevel, WebClient }: typeof SlackWebApi = createRequire(import.meta.url)(
  "@slack/web-api",
);
type WebClient = SlackWebApi.WebClient;

/**
 * The Web API methods Leadfit calls and the bot scope each needs. The manifest asks for exactly
 * the union of these (a test checks it), so adding a call here is adding its scope there.
 */
export const SCOPES_BY_METHOD = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.getPermalink": [],
  "conversations.history": ["channels:history", "groups:history"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
  "views.open": [],
  "views.update": [],
  "views.publish": [],
  "conversations.join": ["channels:join"],
  "conversations.info": ["channels:read", "groups:read"],
  "users.info": ["users:read"],
  "users.lookupByEmail": ["users:read.email"],
} as const satisfies Record<string, readonly string[]>;

export type SlackMethod = keyof typeof SCOPES_BY_METHOD;

/** Every bot scope the app needs: its calls' scopes, plus `commands` for /leadfit. */
export const BOT_SCOPES: readonly string[] = [
  ...new Set<string>(["commands", ...Object.values(SCOPES_BY_METHOD).flat()]),
].sort();

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

/** A Slack error a person can act on, e.g. "not_in_channel". */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code, data } = error as { code?: string; data?: { error?: string } };
    if (code === ErrorCode.PlatformError) return data?.error;
  }
  return undefined;
}

/** Slack errors that no retry will fix: what failed is shown to admins instead. */
const PERMANENT_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_blocks",
  "msg_too_long",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "missing_scope",
  "restricted_action",
]);

export function isPermanentSlackError(code: string | undefined): boolean {
  return code !== undefined && PERMANENT_ERRORS.has(code);
}

/**
 * How many times a marked post is tried after failures that may have posted it, the pause before
 * looking for it in the channel, and how many of Slack's "wait" answers it follows.
 */
const POST_ONCE_ATTEMPTS = 4;
const POST_ONCE_RATE_LIMIT_WAITS = 10;
const POST_ONCE_PAUSE_MS = 1_000;

/** How far Slack's clock may be behind ours when looking for a message we posted. */
const CLOCK_SKEW_MS = 5 * 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The calls Leadfit makes to one workspace's Slack. */
export class SlackGateway {
  /**
   * @param client for every call; it retries 429s and 5xx itself.
   * @param postingClient for `postOnce`: no retries of its own, a 429 rejected at once, so each
   *   retry can first check that the message is not already there.
   */
  constructor(
    readonly client: WebClient,
    private readonly postingClient: WebClient = client,
  ) {}

  async postMessage(
    channel: string,
    message: Message,
    options: { threadTs?: string; metadata?: MessageMetadata } = {},
  ): Promise<{ channel: string; ts: string }> {
    const result = await this.client.chat.postMessage({
      channel,
      ...message,
      thread_ts: options.threadTs,
      metadata: options.metadata,
      unfurl_links: false,
    });
    return { channel: result.channel ?? channel, ts: result.ts ?? "" };
  }

  /**
   * Posts a message that must appear once, marked with `marker` (message metadata). A 429 means
   * Slack did not take it: wait as told and send again. A timeout, a 5xx or a dropped connection
   * may have posted it: wait a moment, look for the marker in the channel since `since`, and send
   * again only if it is not there. `lookFirst` looks before the first send (an earlier attempt
   * failed the same way). Slack's own refusals (ok: false) are thrown at once.
   */
  async postOnce(
    channel: string,
    message: Message,
    marker: MessageMetadata,
    options: { since: Date; lookFirst?: boolean },
  ): Promise<{ channel: string; ts: string }> {
    const lookedUp = options.lookFirst
      ? await this.findPosted(channel, options.since, marker)
      : undefined;
    if (lookedUp) return { channel, ts: lookedUp };
    let failures = 0;
    let rateLimits = 0;
    for (;;) {
      try {
        const result = await this.postingClient.chat.postMessage({
          channel,
          ...message,
          metadata: marker,
          unfurl_links: false,
        });
        return { channel: result.channel ?? channel, ts: result.ts ?? "" };
      } catch (error) {
        const { code, retryAfter } = error as { code?: string; retryAfter?: number };
        if (code === ErrorCode.PlatformError) throw error;
        if (code === ErrorCode.RateLimitedError) {
          if (++rateLimits > POST_ONCE_RATE_LIMIT_WAITS) throw error;
          await sleep((retryAfter ?? 1) * 1000);
          continue;
        }
        if (++failures >= POST_ONCE_ATTEMPTS) throw error;
        await sleep(POST_ONCE_PAUSE_MS * failures);
        const found = await this.findPosted(channel, options.since, marker);
        if (found) return { channel, ts: found };
      }
    }
  }

  /**
   * The ts of a message the app posted to `channel` since `oldest` carrying this metadata marker,
   * if Slack has it: how a post interrupted by a crash is found instead of posted twice. The
   * search starts a few minutes earlier: Slack's clock and ours need not agree.
   */
  async findPosted(
    channel: string,
    oldest: Date,
    marker: MessageMetadata,
  ): Promise<string | undefined> {
    const history = await this.client.conversations.history({
      channel,
      oldest: ((oldest.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6),
      include_all_metadata: true,
      limit: 200,
    });
    const found = history.messages?.find(
      (m) =>
        m.metadata?.event_type === marker.event_type &&
        JSON.stringify(m.metadata?.event_payload) === JSON.stringify(marker.event_payload),
    );
    return found?.ts;
  }

  async updateMessage(channel: string, ts: string, message: Message): Promise<void> {
    await this.client.chat.update({ channel, ts, ...message });
  }

  async postEphemeral(channel: string, user: string, message: Message): Promise<void> {
    await this.client.chat.postEphemeral({ channel, user, ...message });
  }

  /**
   * Uploads files (the current upload flow: files.getUploadURLExternal, then
   * files.completeUploadExternal) and shares them in a thread as one reply with a comment.
   */
  async uploadToThread(
    channel: string,
    threadTs: string,
    comment: string,
    files: readonly { filename: string; title: string; altText: string; bytes: Buffer }[],
  ): Promise<void> {
    if (files.length === 0) {
      await this.postMessage(channel, { text: comment, blocks: [] }, { threadTs });
      return;
    }
    await this.client.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      initial_comment: comment,
      file_uploads: files.map((f) => ({
        file: f.bytes,
        filename: f.filename,
        title: f.title,
        alt_text: f.altText,
      })),
    });
  }

  async permalink(channel: string, ts: string): Promise<string | null> {
    const result = await this.client.chat.getPermalink({ channel, message_ts: ts });
    return result.permalink ?? null;
  }

  /** Opens a modal; its view id, to update it later. */
  async openView(triggerId: string, view: View): Promise<string> {
    const result = await this.client.views.open({ trigger_id: triggerId, view });
    return result.view?.id ?? "";
  }

  async updateView(viewId: string, view: View): Promise<void> {
    await this.client.views.update({ view_id: viewId, view });
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await this.client.views.publish({ user_id: userId, view });
  }

  /**
   * Joins a public channel. A private one cannot be joined by the app itself; the answer says how
   * to invite it instead.
   */
  async joinChannel(
    channel: string,
  ): Promise<{ joined: true } | { joined: false; reason: string }> {
    const info = await this.client.conversations.info({ channel });
    if (info.channel?.is_member) return { joined: true };
    if (info.channel?.is_private) {
      return {
        joined: false,
        reason: `<#${channel}> is private: invite the app there with \`/invite @Leadfit\`.`,
      };
    }
    await this.client.conversations.join({ channel });
    return { joined: true };
  }

  /** The workspace a channel belongs to (its `context_team_id`), when Slack says. */
  async channelTeam(channel: string): Promise<string | undefined> {
    const info = await this.client.conversations.info({ channel });
    return info.channel?.context_team_id;
  }

  /** The Slack user with this email in the workspace, or undefined when there is none. */
  async userIdByEmail(email: string): Promise<string | undefined> {
    try {
      const result = await this.client.users.lookupByEmail({ email });
      return result.user?.id;
    } catch (error) {
      if (slackErrorCode(error) === "users_not_found") return undefined;
      throw error;
    }
  }

  async userInfo(user: string): Promise<{ isAdmin: boolean; timezone: string | null }> {
    const result = await this.client.users.info({ user });
    return {
      isAdmin: Boolean(
        result.user?.is_admin || result.user?.is_owner || result.user?.is_primary_owner,
      ),
      timezone: result.user?.tz ?? null,
    };
  }
}

/** Finds the Slack client for a workspace: the single bot token, or the workspace's installation. */
/** The options of the app's Web API clients; `timeoutMs`: how long one call may take before it is given up (and retried). */
function webClientOptions(config: Config, timeoutMs = 10_000): WebClientOptions {
  return {
    slackApiUrl: config.slackApiUrl,
    logLevel: LogLevel.ERROR,
    timeout: timeoutMs,
    // Retries on 429 (after Retry-After), 5xx and timeouts, a few times, without stalling long.
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
}

/** A Web API client for `token` with the app's options, before the app's dependencies exist. */
export function slackClient(config: Config, token: string): WebClient {
  return new WebClient(token, webClientOptions(config));
}

export class SlackDirectory {
  constructor(
    private readonly config: Config,
    private readonly installations: InstallationRepository,
    private readonly log: Logger,
    private readonly timeoutMs?: number,
  ) {}

  clientOptions(): WebClientOptions {
    return webClientOptions(this.config, this.timeoutMs);
  }

  client(token: string): WebClient {
    return new WebClient(token, this.clientOptions());
  }

  /** A client that never retries by itself, for posts that must appear once (`postOnce`). */
  private postingClient(token: string): WebClient {
    return new WebClient(token, {
      ...this.clientOptions(),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  async botToken(workspaceId: string): Promise<string> {
    const { slack } = this.config;
    if (slack.kind === "single") return slack.botToken;
    if (slack.kind === "oauth") {
      const installation = await this.installations.forWorkspace(workspaceId);
      if (installation?.bot?.token) return installation.bot.token;
    }
    this.log.warn("no Slack token for workspace", { workspaceId });
    throw new AppError(
      "slack_not_installed",
      `no bot token for workspace ${workspaceId}`,
      "Leadfit is not installed in this Slack workspace.",
    );
  }

  /** The workspace's gateway, or undefined when Leadfit has no Slack token for it (a local workspace). */
  async gatewayIfInstalled(workspaceId: string): Promise<SlackGateway | undefined> {
    const { slack } = this.config;
    if (slack.kind === "oauth" && !(await this.installations.forWorkspace(workspaceId))?.bot?.token)
      return undefined;
    if (slack.kind !== "single" && slack.kind !== "oauth") return undefined;
    return this.gateway(workspaceId);
  }

  async gateway(workspaceId: string): Promise<SlackGateway> {
    const token = await this.botToken(workspaceId);
    return new SlackGateway(this.client(token), this.postingClient(token));
  }
}
