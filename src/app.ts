import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type * as Bolt from "@slack/bolt";
import type * as SlackOAuth from "@slack/oauth";
import type * as SlackWebApi from "@slack/web-api";
import type { Deps } from "./deps.ts";
import { AppError } from "./domain/app-error.ts";
import { memoize } from "./domain/memoize.ts";
import { BAD_KEYS_PER_MINUTE, BadKeyThrottle } from "./inbound/http/api/bad-key-throttle.ts";
import { healthRoute } from "./inbound/http/health.ts";
import { type Route, router } from "./inbound/http/router.ts";
import { App, HTTPReceiver, installProvider, socketModeReceiver } from "./inbound/slack/bolt.ts";
import { boltLogger } from "./inbound/slack/bolt-logger.ts";
import { BOT_SCOPES, SlackGateway } from "./outbound/slack/gateway.ts";
import { adoptAdminTimezone } from "./services/adopt-admin-timezone.ts";

// Slack's packages are CommonJS, loaded with require: see "CommonJS packages" in the README's
// Footprint.
const require = createRequire(import.meta.url);
const { ErrorCode }: typeof SlackWebApi = require("@slack/web-api");

export const SLACK_EVENTS_PATH = "/slack/events";
export const INSTALL_PATH = "/slack/install";
export const OAUTH_REDIRECT_PATH = "/slack/oauth_redirect";

/** What the HTTP server allows a client; constants, adjusted only by tests. */
export interface HttpLimits {
  /** Bad API keys one client address may send per minute before it is answered 429. */
  badKeysPerMinute: number;
  /** The longest a whole request (headers and body) may take to arrive: 5 MiB at 100 KB/s. */
  requestTimeoutMs: number;
  /** The longest the headers may take to arrive. */
  headersTimeoutMs: number;
  /** How long an idle kept-alive connection stays open for the client's next request. */
  keepAliveTimeoutMs: number;
  /** How often the server looks for requests past their time (Node's default is 30 s). */
  timeoutCheckIntervalMs: number;
}

export const HTTP_LIMITS: HttpLimits = {
  badKeysPerMinute: BAD_KEYS_PER_MINUTE,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckIntervalMs: 1_000,
};

/** The Socket Mode client's codes for an acknowledgement sent when its connection was gone. */
const ACK_LOST_WITH_CONNECTION = new Set([
  "slack_socket_mode_send_while_disconnected_error",
  "slack_socket_mode_send_while_not_ready_error",
]);

/** Socket Mode's heartbeat; a constant, adjusted only by tests. */
export interface SocketModeTimings {
  /**
   * How long a ping to Slack may go unanswered before the connection counts as dead; the Socket
   * Mode client also waits this long before it reconnects.
   */
  pingTimeoutMs: number;
}

export const SOCKET_MODE_TIMINGS: SocketModeTimings = { pingTimeoutMs: 5_000 };

export interface LeadfitApp {
  bolt: Bolt.App;
  server: Server;
  /**
   * Starts listening on `port` (0 picks a free one) and, in Socket Mode, connects to Slack; a
   * Socket Mode connection Slack refuses fails it with a clear error.
   */
  start(port: number): Promise<number>;
  stop(): Promise<void>;
  /**
   * Settles once the code behind the listeners and routes has loaded: start() begins loading it
   * after the server listens; a request needing it sooner waits for it.
   */
  loaded(): Promise<void>;
  /**
   * Settles with the reason when Slack refuses a Socket Mode reconnection (the app-level token was
   * revoked): from then on no request from Slack arrives. Never settles in HTTP mode.
   */
  slackLost: Promise<AppError>;
}

/**
 * Bolt's own installer and installation store, routed by this app's server: given installerOptions,
 * Bolt's Socket Mode receiver would serve the OAuth routes on a second server of its own, not on PORT.
 */
function installer(deps: Deps): SlackOAuth.InstallProvider | undefined {
  const { slack } = deps.config;
  if (slack.kind !== "oauth") return undefined;
  const { installations } = deps.repos;
  const InstallProvider = installProvider();
  return new InstallProvider({
    clientId: slack.clientId,
    clientSecret: slack.clientSecret,
    stateSecret: slack.stateSecret,
    logger: boltLogger(deps.log),
    clientOptions: { slackApiUrl: deps.config.slackApiUrl },
    directInstall: true,
    installationStore: {
      storeInstallation: async (installation) => {
        await installations.save(installation);
        const teamId = installation.team?.id;
        if (!teamId || !installation.bot) return;
        const gateway = new SlackGateway(deps.slack.client(installation.bot.token));
        // The recorded installer, who is not whoever re-ran the OAuth flow.
        const installedBy = (await deps.repos.workspaces.get(teamId))?.installedBy ?? undefined;
        await adoptAdminTimezone(
          { repos: deps.repos, gateway },
          { workspaceId: teamId, adminId: installedBy },
        ).catch((error: unknown) =>
          deps.log.warn("could not learn the installer's timezone", {
            teamId,
            error: String(error),
          }),
        );
      },
      fetchInstallation: async (query) => {
        const found = await installations.find(query);
        if (!found) throw new Error(`no installation for ${query.teamId ?? query.enterpriseId}`);
        return found;
      },
      deleteInstallation: (query) => installations.delete(query),
    },
  });
}

/**
 * Builds the Bolt app and the HTTP server from the dependencies; starts nothing. The server always
 * answers /healthz, the API and HubSpot's webhooks (and the OAuth routes when configured); Slack's
 * requests arrive at /slack/events unless Socket Mode carries them.
 */
export function buildApp(
  deps: Deps,
  limitChanges: Partial<HttpLimits> = {},
  socketChanges: Partial<SocketModeTimings> = {},
): LeadfitApp {
  const { config } = deps;
  const limits = { ...HTTP_LIMITS, ...limitChanges };
  const socketTimings = { ...SOCKET_MODE_TIMINGS, ...socketChanges };
  const logger = boltLogger(deps.log);
  let receiver: Bolt.Receiver;
  let slackEvents: Route[] = [];
  let slackLost: Promise<AppError> = new Promise(() => {});
  if (config.appToken) {
    const SocketModeReceiver = socketModeReceiver();
    const socket = new SocketModeReceiver({
      appToken: config.appToken,
      logger,
      clientPingTimeout: socketTimings.pingTimeoutMs,
      // The Socket Mode client opens its connections through these Web API options (the only
      // installer option used without OAuth here), so SLACK_API_URL reaches apps.connections.open.
      installerOptions: { clientOptions: { slackApiUrl: config.slackApiUrl } },
    });
    logReconnections(socket, deps);
    slackLost = refusedReconnection(socket);
    receiver = socket;
  } else {
    if (!config.signingSecret) {
      throw new AppError(
        "invalid_config",
        "HTTP mode without a signing secret",
        "Set SLACK_SIGNING_SECRET (HTTP mode), or SLACK_APP_TOKEN for Socket Mode.",
      );
    }
    const http = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger,
    });
    receiver = http;
    slackEvents = [
      {
        method: "POST",
        path: SLACK_EVENTS_PATH,
        handler: (req, res) => http.requestListener(req, res),
      },
    ];
  }
  const clientOptions = deps.slack.clientOptions();
  const install = installer(deps);
  const bolt = install
    ? new App({
        receiver,
        authorize: install.authorize,
        clientOptions,
        logger,
        deferInitialization: true,
      })
    : new App({
        receiver,
        token: config.slack.kind === "single" ? config.slack.botToken : undefined,
        clientOptions,
        logger,
        // Initialised in start(), so a token Slack refuses fails start-up with a clear error.
        deferInitialization: true,
      });
  // The listeners' code (the services and messages behind them) loads once the server listens,
  // so that /healthz answers without waiting for it; a request arriving sooner waits for it.
  const loadListeners = memoize(async () => {
    const { registerListeners } = await import("./inbound/slack/index.ts");
    registerListeners(bolt, deps);
  });
  bolt.use(async ({ next }) => {
    await loadListeners();
    await next();
  });
  bolt.error(async (error) => {
    if (ACK_LOST_WITH_CONNECTION.has(String((error as { code?: unknown }).code))) {
      // The work before the acknowledgement is done; Slack delivers the request again, and the
      // repeat is recognised.
      deps.log.info(
        "acknowledgement lost with the Socket Mode connection; Slack will send it again",
      );
      return;
    }
    deps.log.error("unhandled error in a Slack listener", {
      error: String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  });

  const oauthRoutes: Route[] = install
    ? [
        {
          method: "GET",
          path: INSTALL_PATH,
          handler: (req, res) =>
            install.handleInstallPath(req, res, {}, { scopes: [...BOT_SCOPES] }),
        },
        {
          method: "GET",
          path: OAUTH_REDIRECT_PATH,
          handler: (req, res) => install.handleCallback(req, res),
        },
      ]
    : [];
  // Likewise the API's, the CRM authorization's and HubSpot's webhook routes.
  const loadRoutes = memoize(async (): Promise<Route[]> => {
    const [{ crmOAuthRoutes }, { apiRoutes }, { hubspotWebhookRoute }] = await Promise.all([
      import("./inbound/http/crm-oauth.ts"),
      import("./inbound/http/api/routes.ts"),
      import("./inbound/http/hubspot-webhook.ts"),
    ]);
    return [
      ...crmOAuthRoutes(deps),
      ...apiRoutes(deps, new BadKeyThrottle(limits.badKeysPerMinute)),
      hubspotWebhookRoute(deps),
    ];
  });
  const routes = [healthRoute(deps), ...slackEvents, ...oauthRoutes];
  // Node's defaults let a client hold a connection open for 300 s by sending its body slowly.
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
    router(
      routes,
      (error, req) =>
        deps.log.error("HTTP request failed", { path: req.url, error: String(error) }),
      loadRoutes,
    ),
  );

  const loaded = memoize(async () => {
    await Promise.all([loadListeners(), loadRoutes()]);
  });
  return {
    bolt,
    loaded,
    server,
    async start(port) {
      await bolt.init();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => resolve());
      });
      // Handled by whoever awaits loaded(); not left unhandled when nobody does.
      loaded().catch(() => {});
      if (config.appToken) await bolt.start().catch(socketModeFailed);
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      if (config.appToken) await bolt.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    slackLost,
  };
}

/** Says in the log why Slack asked for a new connection, and when the app has one again. */
function logReconnections(socket: Bolt.SocketModeReceiver, deps: Deps): void {
  let connections = 0;
  socket.client.on("connected", () => {
    connections += 1;
    if (connections > 1) deps.log.info("reconnected to Slack over Socket Mode", { connections });
  });
  socket.client.on("ws_message", (data: unknown) => {
    const reason = disconnectReason(data);
    if (reason === "link_disabled") {
      deps.log.warn(
        "Slack turned Socket Mode off for this app (link_disabled): turn it on again in the app's settings, or run in HTTP mode",
      );
    } else if (reason !== undefined) {
      deps.log.info("Slack asked for a new Socket Mode connection", { reason });
    }
  });
}

/**
 * The Socket Mode client reconnects by itself, but when Slack refuses a reconnection it rejects a
 * promise nobody holds, and Node would stop the process with a stack trace. Its `start` is wrapped
 * so that, once connected, such a refusal settles the returned promise instead.
 */
function refusedReconnection(socket: Bolt.SocketModeReceiver): Promise<AppError> {
  const { client } = socket;
  const start = client.start.bind(client);
  let connected = false;
  client.on("connected", () => {
    connected = true;
  });
  return new Promise((lost) => {
    client.start = () =>
      start().catch((error: unknown) => {
        if (!connected) throw error;
        lost(
          socketModeError(error) ??
            new AppError(
              "slack_unreachable",
              String(error),
              `Socket Mode stopped: ${String(error)}`,
            ),
        );
        return new Promise<never>(() => {});
      });
  });
}

/** The reason of a Socket Mode `disconnect` message, or undefined for any other message. */
function disconnectReason(data: unknown): string | undefined {
  const text = typeof data === "string" ? data : undefined;
  if (!text?.includes('"disconnect"')) return undefined;
  try {
    const message = JSON.parse(text) as { type?: unknown; reason?: unknown };
    return message.type === "disconnect" ? String(message.reason) : undefined;
  } catch {
    return undefined;
  }
}

/** Socket Mode could not open its first connection: one line saying what to fix. */
function socketModeFailed(error: unknown): never {
  throw socketModeError(error) ?? error;
}

/** What Slack's refusal, or Slack out of reach, means for the person running Leadfit. */
function socketModeError(error: unknown): AppError | undefined {
  const { code, data, message } = error as { code?: unknown; data?: { error?: unknown } } & Error;
  if (code === ErrorCode.PlatformError && typeof data?.error === "string") {
    return new AppError(
      "slack_auth_failed",
      `apps.connections.open failed: ${data.error}`,
      `Slack refused SLACK_APP_TOKEN (apps.connections.open: ${data.error}). Use the app-level token (xapp-...) with the connections:write scope, from the app's Basic Information page.`,
      { cause: error },
    );
  }
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError) {
    return new AppError(
      "slack_unreachable",
      `apps.connections.open failed: ${message}`,
      `Could not reach Slack to open a Socket Mode connection (${message}). Check the network and SLACK_API_URL.`,
      { cause: error },
    );
  }
  return undefined;
}
