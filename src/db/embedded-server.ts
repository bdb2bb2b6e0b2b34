import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// Serves one PGlite database to several connections over PostgreSQL's wire protocol.
//
// PGlite is a single backend session. A client's extended-protocol exchange (Parse, Bind,
// Describe, Execute … Sync) uses the session's unnamed statement, so two connections' messages
// must never interleave: each connection's messages are buffered up to the end of an exchange
// (Sync, a simple Query, or Flush) and the whole group runs at once. While a connection has a
// transaction open, only that connection's groups run; the others wait for it to end.
//
// Prepared statements live in the session too, so each connection's statement names are prefixed
// with its own id on the way in (Parse, Bind, Describe and Close name them), and deallocated when
// it goes: every connection can prepare "the same" statement without colliding with another's.
//
// A connection whose transaction kept others waiting then waits as long itself before its next
// group runs, while others want the session: a batch job (an import's chunks) gets at most half of
// it, and a request that needs several statements is not stuck behind the next chunk for each.
// Nobody else having run for OTHERS_ACTIVE_MS means nobody wants it: the batch goes on at once.
//
// Because an open transaction holds everyone else up, a connection that owns it and then sends
// nothing for `idleInTransactionMs` (a paused CLI, a hung client) is told why, closed and rolled
// back, as PostgreSQL's idle_in_transaction_session_timeout would.
//
// PGlite runs no autovacuum, so nothing else would ever gather the planner's statistics: a table
// that grew from empty would be planned as a tiny one for good (an update of 200 leads by id read
// every lead of the workspace), and a prepared statement would keep the plan it got then. So
// between transactions, every few seconds, the server analyzes the tables autovacuum would.

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Describe and Close name a statement ('S') or a portal ('P'). */
const STATEMENT = "S".charCodeAt(0);
/** Message types that end an exchange: Sync, Query, Flush, Terminate. */
const GROUP_END = new Set(["S", "Q", "H", "X"]);
/** A connection that ran this recently may send its next statement soon (a request's round trip). */
const OTHERS_ACTIVE_MS = 20;
/** How long the owner of the open transaction may send nothing before it is cut off. */
export const IDLE_IN_TRANSACTION_MS = 30_000;
/** How often the server looks for tables to analyze (autovacuum_naptime is a minute). */
export const ANALYZE_CHECK_MS = 5_000;
/**
 * A table is analyzed once more rows changed since its last analysis than 50 + 10 % of it:
 * autovacuum_analyze_threshold and autovacuum_analyze_scale_factor's defaults.
 */
const TABLES_TO_ANALYZE = `
  select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables
  where n_mod_since_analyze > 50 + 0.1 * n_live_tup`;

export interface EmbeddedServerOptions {
  idleInTransactionMs?: number;
  analyzeCheckMs?: number;
}

interface Connection {
  id: number;
  socket: Socket;
  buffer: Buffer;
  pending: Buffer[];
  started: boolean;
  closed: boolean;
  /** The session names of the statements it prepared. */
  statements: Set<string>;
  /** Armed while it owns the open transaction and has nothing queued or running. */
  idleTimer: NodeJS.Timeout | undefined;
  /** Its groups wait until then (performance.now()): it kept others waiting as long. */
  yieldUntil: number;
  /** When its last group finished (performance.now()). */
  lastActive: number;
}

interface Group {
  connection: Connection;
  bytes: Buffer;
}

export class EmbeddedServer {
  private readonly server: Server;
  private readonly queue: Group[] = [];
  private readonly connections = new Set<Connection>();
  /** The connection whose transaction is open, if any. */
  private transactionOwner: Connection | undefined;
  /** When the open transaction began, and whether another connection has waited for it. */
  private transaction: { startedAt: number; othersWaited: boolean } | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private running = false;
  private nextId = 1;
  private readonly idleInTransactionMs: number;
  private readonly analyzeCheckMs: number;
  /** When the server last looked for tables to analyze (performance.now()). */
  private analyzeCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: PGlite,
    options: EmbeddedServerOptions = {},
  ) {
    this.idleInTransactionMs = options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS;
    this.analyzeCheckMs = options.analyzeCheckMs ?? ANALYZE_CHECK_MS;
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, host, () => {
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.wakeTimer);
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = {
      id: this.nextId++,
      socket,
      buffer: Buffer.alloc(0),
      pending: [],
      started: false,
      closed: false,
      statements: new Set(),
      idleTimer: undefined,
      yieldUntil: 0,
      lastActive: 0,
    };
    this.connections.add(connection);
    socket.on("data", (data) => this.receive(connection, data));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void this.drop(connection));
  }

  private receive(connection: Connection, data: Buffer): void {
    clearTimeout(connection.idleTimer);
    connection.buffer = Buffer.concat([connection.buffer, data]);
    for (;;) {
      const message = this.takeMessage(connection);
      if (!message) break;
      if (message.kind === "ssl") {
        connection.socket.write("N");
        continue;
      }
      if (message.kind === "cancel") continue;
      connection.pending.push(this.scoped(connection, message));
      if (message.kind === "startup" || GROUP_END.has(message.kind)) {
        this.queue.push({ connection, bytes: Buffer.concat(connection.pending) });
        connection.pending = [];
      }
    }
    void this.run();
  }

  /** The next complete message in the connection's buffer, or undefined until more arrives. */
  private takeMessage(connection: Connection): { kind: string; bytes: Buffer } | undefined {
    const { buffer } = connection;
    if (!connection.started) {
      if (buffer.length < 8) return undefined;
      const length = buffer.readInt32BE(0);
      if (buffer.length < length) return undefined;
      const code = buffer.readInt32BE(4);
      connection.buffer = buffer.subarray(length);
      if (code === SSL_REQUEST) return { kind: "ssl", bytes: Buffer.alloc(0) };
      if (code === CANCEL_REQUEST) return { kind: "cancel", bytes: Buffer.alloc(0) };
      if (code === PROTOCOL_3) connection.started = true;
      return { kind: "startup", bytes: buffer.subarray(0, length) };
    }
    if (buffer.length < 5) return undefined;
    const length = 1 + buffer.readInt32BE(1);
    if (buffer.length < length) return undefined;
    connection.buffer = buffer.subarray(length);
    return { kind: String.fromCharCode(buffer[0] ?? 0), bytes: buffer.subarray(0, length) };
  }

  /** The message with the statement name it carries, if any, made the connection's own. */
  private scoped(connection: Connection, message: { kind: string; bytes: Buffer }): Buffer {
    const { kind, bytes } = message;
    let at: number;
    if (kind === "P") at = 5;
    else if (kind === "B") at = bytes.indexOf(0, 5) + 1;
    else if ((kind === "D" || kind === "C") && bytes[5] === STATEMENT) at = 6;
    else return bytes;
    const end = bytes.indexOf(0, at);
    // The unnamed statement is replaced by each exchange's own Parse: nothing to keep apart.
    if (end <= at) return bytes;
    const name = `c${connection.id}_${bytes.toString("utf8", at, end)}`;
    if (kind === "P") connection.statements.add(name);
    if (kind === "C") connection.statements.delete(name);
    const rest = bytes.subarray(end);
    const scoped = Buffer.concat([bytes.subarray(0, at), Buffer.from(name, "utf8"), rest]);
    scoped.writeInt32BE(scoped.length - 1, 1);
    return scoped;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (!this.transactionOwner && this.queue.length > 0) await this.analyzeChanged();
        const index = this.next();
        if (index < 0) return;
        const [group] = this.queue.splice(index, 1);
        if (!group || group.connection.closed) continue;
        await this.execute(group);
      }
    } finally {
      this.running = false;
    }
  }

  /** The queue index of the group to run now, or -1 (then a timer wakes the queue if needed). */
  private next(): number {
    const owner = this.transactionOwner;
    if (owner) {
      if (this.transaction && this.queue.some((g) => g.connection !== owner))
        this.transaction.othersWaited = true;
      return this.queue.findIndex((g) => g.connection === owner);
    }
    const now = performance.now();
    const othersActive = (connection: Connection) =>
      [...this.connections].some(
        (other) => other !== connection && now - other.lastActive < OTHERS_ACTIVE_MS,
      );
    const index = this.queue.findIndex(
      (g) => g.connection.yieldUntil <= now || !othersActive(g.connection),
    );
    if (index < 0 && this.queue.length > 0) {
      const wake = Math.min(
        ...this.queue.map((g) => g.connection.yieldUntil),
        now + OTHERS_ACTIVE_MS,
      );
      clearTimeout(this.wakeTimer);
      this.wakeTimer = setTimeout(() => void this.run(), Math.max(1, wake - now));
    }
    return index;
  }

  private async execute(group: Group): Promise<void> {
    const { socket } = group.connection;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(new Uint8Array(group.bytes), {
          onRawData: (data) => {
            if (!socket.destroyed) socket.write(data);
          },
        }),
      );
    } catch {
      socket.destroy();
    }
    const previous = this.transactionOwner;
    this.transactionOwner = this.db.isInTransaction() ? group.connection : undefined;
    const owner = this.transactionOwner;
    const now = performance.now();
    group.connection.lastActive = now;
    if (!previous && owner) this.transaction = { startedAt: now, othersWaited: false };
    if (previous && !owner) {
      if (this.transaction?.othersWaited)
        previous.yieldUntil = now + (now - this.transaction.startedAt);
      this.transaction = undefined;
    }
    if (owner && !this.queue.some((g) => g.connection === owner)) {
      owner.idleTimer = setTimeout(() => this.cutOff(owner), this.idleInTransactionMs);
    }
  }

  /** Analyzes the tables that changed enough since their last analysis, when a check is due. */
  private async analyzeChanged(): Promise<void> {
    const now = performance.now();
    if (now - this.analyzeCheckedAt < this.analyzeCheckMs) return;
    this.analyzeCheckedAt = now;
    try {
      const { rows } = await this.db.query<{ name: string }>(TABLES_TO_ANALYZE);
      for (const { name } of rows) await this.db.exec(`analyze ${name}`);
    } catch {
      // Statistics only make plans better: a failed analysis must not stop the server. The
      // tables are still over the threshold, so the next check tries them again.
    }
  }

  /** Ends an idle owner's connection; `drop` then rolls its transaction back. */
  private cutOff(connection: Connection): void {
    if (this.transactionOwner !== connection || connection.closed) return;
    const { socket } = connection;
    socket.end(idleInTransactionError(), () => socket.destroy());
  }

  private async drop(connection: Connection): Promise<void> {
    clearTimeout(connection.idleTimer);
    connection.closed = true;
    this.connections.delete(connection);
    if (this.transactionOwner === connection) {
      // A client gone mid-transaction: roll it back so the others can go on.
      await this.db.exec("ROLLBACK").catch(() => {});
      this.transactionOwner = undefined;
      this.transaction = undefined;
      void this.run();
    }
    for (const name of connection.statements) {
      await this.db.exec(`DEALLOCATE "${name.replaceAll('"', '""')}"`).catch(() => {});
    }
  }
}

/** The FATAL ErrorResponse PostgreSQL sends a session it ends for idling in a transaction. */
function idleInTransactionError(): Buffer {
  const fields = [
    ["S", "FATAL"],
    ["V", "FATAL"],
    ["C", "25P03"],
    ["M", "terminating connection due to idle-in-transaction timeout"],
  ];
  const body = Buffer.concat([
    ...fields.map(([type, value]) => Buffer.from(`${type}${value}\0`, "utf8")),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0, "ascii");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
