import type pg from "pg";
import { memoize } from "../domain/memoize.ts";
import { type EmbeddedDatabase, openEmbedded } from "./embedded.ts";
import { IDLE_IN_TRANSACTION_MS } from "./embedded-server.ts";
import type { PrismaClient } from "./generated/client.ts";
import { migrate } from "./migrations/migrate.ts";

export interface DatabaseTarget {
  /** Any PostgreSQL; without it, the embedded one in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
}

export interface Database {
  url: string;
  embedded: boolean;
  /** False when another process owns the embedded database and this one connects to it. */
  owner: boolean;
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  log?: (message: string) => void;
  /** Apply pending migrations before handing the database out (default true). */
  migrate?: boolean;
  /** A new embedded folder starts from the build's migrated template (default true). */
  fromTemplate?: boolean;
}

/**
 * The database, opening; `started` resolves once it has started to open: at once for a server,
 * once the embedded database's thread has started. Code loaded from then on loads while the
 * database opens, without holding up the thread's start.
 */
export type OpeningDatabase = Promise<Database> & { started: Promise<void> };

// Socket errors and PostgreSQL's "connection exception" / "operator intervention" classes.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P03",
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|Connection ended|server closed the connection|timeout exceeded when trying to connect/i;

/**
 * Whether an error means the database could not be reached (rather than refusing a statement):
 * what the app answers with "try again in a minute" instead of a generic failure.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== "object") return false;
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08")))
      return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = cause;
  }
  return false;
}

/** Whether the database at `url` is an embedded one (PGlite), served by another process. */
async function servedByPglite(url: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>("select version()");
    return rows[0]?.version.includes("PGlite") ?? false;
  } finally {
    await client.end();
  }
}

export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): OpeningDatabase {
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  // The database clients (pg, and Prisma's generated code, runtime and query compiler) load while
  // the database opens, the embedded one on a thread of its own: start-up waits for the slower,
  // not for both. Not before its thread has started, which the loading would hold up.
  const loadClients = memoize(() => {
    markStarted();
    const loading = Promise.all([import("pg"), import("./prisma.ts")]);
    // Awaited once open; an error opening the database must not leave this rejection unhandled.
    loading.catch(() => {});
    return loading;
  });
  return Object.assign(open(target, options, loadClients), { started });
}

async function open(
  target: DatabaseTarget,
  options: OpenOptions,
  loadClients: () => Promise<[typeof import("pg"), typeof import("./prisma.ts")]>,
): Promise<Database> {
  const log = options.log ?? (() => {});
  const migrating = options.migrate ?? true;
  let embedded: EmbeddedDatabase | undefined;
  let oneSession: boolean;
  let url = target.databaseUrl;
  if (url) {
    void loadClients();
    const serverUrl = url;
    [, oneSession] = await Promise.all([
      migrating ? migrate(serverUrl, log) : undefined,
      servedByPglite(serverUrl),
    ]);
  } else {
    // Only the owner migrates the embedded database, before it tells others where it is.
    embedded = await openEmbedded({
      dataDir: target.dataDir,
      log,
      fromTemplate: options.fromTemplate,
      prepare: async (ownUrl) => {
        if (migrating) await migrate(ownUrl, log);
      },
      started: () => void loadClients(),
    });
    url = embedded.url;
    oneSession = true;
  }
  const [{ default: pg }, { createPrisma }] = await loadClients();
  // The embedded server runs one session, also when reached by its URL: one connection is all it
  // can serve at a time.
  // A transaction left open (a paused CLI, a hung client) holds its locks, and on the embedded
  // database everyone else, until it is cut off: there the embedded server does it.
  const pool = new pg.Pool({
    connectionString: url,
    max: oneSession ? 1 : 10,
    ...(oneSession ? {} : { idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS }),
  });
  // An idle connection the database (or the network) drops is removed from the pool; without a
  // listener, pg would throw the error out of the process.
  pool.on("error", (error) => log(`database connection lost: ${error.message}`));
  const prisma = createPrisma(pool);
  return {
    url,
    embedded: embedded !== undefined,
    owner: embedded?.owner ?? true,
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.close();
    },
  };
}
