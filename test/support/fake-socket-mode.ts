// A local stand-in for Slack's Socket Mode, served by the fake Web API (test/support/fake-slack.ts):
// `apps.connections.open` with the app-level token answers a single-use WebSocket URL on the same
// server; the connection gets `hello`, then envelopes, and each envelope waits for its
// acknowledgement, as on Slack: an envelope not acknowledged within Slack's 3 seconds, or left
// unacknowledged on a connection that closed, is delivered again with `retry_attempt` raised.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

/**
 * Why Slack asks an app to reconnect: `refresh_requested` (the connection is being recycled),
 * `warning` (it will be closed soon), `link_disabled` (Socket Mode was turned off for the app).
 */
export type DisconnectReason = "refresh_requested" | "warning" | "link_disabled";

/** An envelope exactly as Slack sends it over the WebSocket. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelopeId: string;
  /** The acknowledgement's `payload` (the modal's `response_action`, a command's reply), if any. */
  payload: Record<string, unknown> | undefined;
  /** Which delivery of the envelope it answered: 0 the first, 1 the first redelivery, … */
  attempt: number;
  /** Dropped on the way on cue (`loseAcks`): the app sent it, Slack never saw it. */
  lost: boolean;
  at: number;
}

export interface DeliverOptions {
  /** Defaults to what Slack sets for the type (true for commands, view submissions, options). */
  acceptsResponsePayload?: boolean;
  /** Events API retries carry these from the start (`retry_attempt: 0`, `retry_reason: ""`). */
  retryAttempt?: number;
  retryReason?: string;
}

export interface FakeSocketMode {
  /** The app-level token `apps.connections.open` accepts. */
  appToken: string;
  /** Connections that have said hello since the start (a reconnect adds one). */
  connectionCount(): number;
  /** Connections open now. */
  openConnections(): number;
  /** Resolves once `count` connections have said hello since the start. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope over an open connection (queued until one is), resolves with its first
   * acknowledgement that arrived; rejects when the envelope stays unacknowledged through Slack's
   * retries.
   */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options?: DeliverOptions,
  ): Promise<SocketAck>;
  /** Envelopes sent on a connection and not acknowledged yet. */
  inFlight(): number;
  /** Every envelope sent, redeliveries included, oldest first. */
  envelopes(): SocketEnvelope[];
  /** Every acknowledgement received (and lost), oldest first. */
  acks(): SocketAck[];
  /** Sends `disconnect` with `reason` on every open connection; Slack closes it soon after. */
  disconnect(reason: DisconnectReason): void;
  /** Cuts every open connection without a close frame, as a network failure does. */
  drop(): void;
  /** The next `count` acknowledgements are lost on the way: their envelopes come again. */
  loseAcks(count: number): void;
  /** The `apps.connections.open` answer for `token` (for the fake Web API). */
  open(token: string | undefined): Record<string, unknown>;
  close(): void;
}

export interface FakeSocketModeOptions {
  appId: string;
  appToken?: string;
  /** How long Slack waits for an acknowledgement before delivering again (Slack: 3 seconds). */
  ackTimeoutMs?: number;
  /** How long after `disconnect` Slack closes a connection the app kept open. */
  closeAfterDisconnectMs?: number;
}

/** Slack retries an unacknowledged envelope three times. */
const MAX_RETRIES = 3;
const LINK_PATH = "/link/";

interface Pending {
  envelope: SocketEnvelope;
  attempt: number;
  sentOn: WebSocket | undefined;
  timer: NodeJS.Timeout | undefined;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
}

/** Serves Socket Mode on `server` (whose address is `origin()`), beside the fake Web API. */
export function attachFakeSocketMode(
  server: Server,
  origin: () => string,
  options: FakeSocketModeOptions,
): FakeSocketMode {
  const appToken = options.appToken ?? `xapp-1-${options.appId}-1000000000001-fakeAppToken`;
  const ackTimeoutMs = options.ackTimeoutMs ?? 3_000;
  const closeAfterDisconnectMs = options.closeAfterDisconnectMs ?? 1_000;
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const open = new Set<WebSocket>();
  const pending = new Map<string, Pending>();
  const queue: Pending[] = [];
  const sent: SocketEnvelope[] = [];
  const received: SocketAck[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const connectionWaiters = new Set<() => void>();
  let hellos = 0;
  let acksToLose = 0;
  let nextConnection = 0;
  let closed = false;

  function later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
    return timer;
  }

  /** Round robin over open connections, as Slack spreads envelopes over an app's connections. */
  function pickConnection(): WebSocket | undefined {
    const list = [...open];
    if (list.length === 0) return undefined;
    nextConnection = (nextConnection + 1) % list.length;
    return list[nextConnection];
  }

  function send(entry: Pending): void {
    if (closed) return;
    const socket = pickConnection();
    if (!socket) {
      queue.push(entry);
      return;
    }
    const envelope: SocketEnvelope = { ...entry.envelope };
    if (entry.attempt > 0) {
      envelope.retry_attempt = entry.attempt;
      envelope.retry_reason = "timeout";
    }
    entry.sentOn = socket;
    sent.push(envelope);
    socket.send(JSON.stringify(envelope));
    entry.timer = later(ackTimeoutMs, () => retry(entry));
  }

  function retry(entry: Pending): void {
    if (entry.timer) clearTimeout(entry.timer);
    timers.delete(entry.timer as NodeJS.Timeout);
    entry.timer = undefined;
    entry.sentOn = undefined;
    if (entry.attempt >= MAX_RETRIES) {
      pending.delete(entry.envelope.envelope_id);
      entry.reject(
        new Error(
          `fake Socket Mode: envelope ${entry.envelope.envelope_id} (${entry.envelope.type}) was never acknowledged in ${MAX_RETRIES + 1} deliveries`,
        ),
      );
      return;
    }
    entry.attempt += 1;
    send(entry);
  }

  function acknowledged(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (parsed === null || typeof parsed !== "object") return;
    const { envelope_id: envelopeId, payload } = parsed as Record<string, unknown>;
    if (typeof envelopeId !== "string") return;
    const entry = pending.get(envelopeId);
    const lost = entry !== undefined && acksToLose > 0;
    if (lost) acksToLose -= 1;
    const ack: SocketAck = {
      envelopeId,
      payload:
        payload !== null && typeof payload === "object"
          ? (payload as Record<string, unknown>)
          : undefined,
      attempt: entry?.attempt ?? -1,
      lost,
      at: Date.now(),
    };
    received.push(ack);
    if (!entry || lost) return;
    if (entry.timer) clearTimeout(entry.timer);
    timers.delete(entry.timer as NodeJS.Timeout);
    pending.delete(envelopeId);
    entry.resolve(ack);
  }

  function connected(socket: WebSocket): void {
    open.add(socket);
    socket.on("message", (data) => acknowledged(data.toString()));
    socket.on("close", () => {
      open.delete(socket);
      // What was in flight on this connection comes again on another one.
      for (const entry of pending.values()) if (entry.sentOn === socket) retry(entry);
    });
    hellos += 1;
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: open.size,
        debug_info: {
          host: `applink-fake-${hellos}`,
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: options.appId },
      }),
    );
    for (const waiter of connectionWaiters) waiter();
    for (const entry of queue.splice(0)) send(entry);
  }

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== LINK_PATH || !tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, connected);
  });

  return {
    appToken,
    connectionCount: () => hellos,
    openConnections: () => open.size,
    waitForConnections(count, timeoutMs = 15_000) {
      if (hellos >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (hellos < count) return;
          connectionWaiters.delete(check);
          clearTimeout(timer);
          timers.delete(timer);
          resolve();
        };
        const timer = later(timeoutMs, () => {
          connectionWaiters.delete(check);
          reject(new Error(`fake Socket Mode: ${hellos} of ${count} connections said hello`));
        });
        connectionWaiters.add(check);
      });
    },
    deliver(type, payload, deliverOptions = {}) {
      const envelope: SocketEnvelope = {
        envelope_id: randomUUID(),
        type,
        payload,
        accepts_response_payload:
          deliverOptions.acceptsResponsePayload ?? acceptsResponsePayload(type, payload),
      };
      if (type === "events_api" || deliverOptions.retryAttempt !== undefined) {
        envelope.retry_attempt = deliverOptions.retryAttempt ?? 0;
        envelope.retry_reason = deliverOptions.retryReason ?? "";
      }
      return new Promise<SocketAck>((resolve, reject) => {
        const entry: Pending = {
          envelope,
          attempt: 0,
          sentOn: undefined,
          timer: undefined,
          resolve,
          reject,
        };
        pending.set(envelope.envelope_id, entry);
        send(entry);
      });
    },
    inFlight: () => [...pending.values()].filter((entry) => entry.sentOn !== undefined).length,
    envelopes: () => [...sent],
    acks: () => [...received],
    disconnect(reason) {
      for (const socket of open) {
        socket.send(
          JSON.stringify({
            type: "disconnect",
            reason,
            debug_info: { host: "applink-fake" },
          }),
        );
        later(closeAfterDisconnectMs, () => socket.close(1000));
      }
    },
    drop() {
      for (const socket of open) socket.terminate();
    },
    loseAcks(count) {
      acksToLose += count;
    },
    open(token) {
      if (!token) return { ok: false, error: "not_authed" };
      if (!token.startsWith("xapp-")) return { ok: false, error: "not_allowed_token_type" };
      if (token !== appToken) return { ok: false, error: "invalid_auth" };
      const ticket = randomUUID();
      tickets.add(ticket);
      const wsOrigin = origin().replace(/^http/, "ws");
      return { ok: true, url: `${wsOrigin}${LINK_PATH}?ticket=${ticket}&app_id=${options.appId}` };
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      closed = true;
      pending.clear();
      for (const socket of open) socket.terminate();
      wss.close();
    },
  };
}

/** Slack lets the acknowledgement carry a reply for commands, view submissions and options. */
function acceptsResponsePayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === "slash_commands") return true;
  if (type === "events_api") return false;
  return payload.type === "view_submission" || payload.type === "block_suggestion";
}
