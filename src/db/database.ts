import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { type EmbeddedDatabase, openEmbedded } from "./embedded.ts";
import { IDLE_IN_TRANSACTION_MS } from "./embedded-server.ts";
import { PrismaClient } from "./generated/client.ts";
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

/**
 * Statements with more parameters than this are batches whose text changes with their size:
 * preparing them would keep one statement per size on every connection, each used rarely.
 */
const PREPARED_MAX_PARAMETERS = 64;

/**
 * A Prisma client over the pool. Each connection prepares a statement the first time and reuses
 * it, so the database does not plan it again on every query (a click waits for that before Slack
 * gets its acknowledgement). The embedded server keeps each connection's statements apart.
 */
export function createPrisma(pool: pg.Pool): PrismaClient {
  const statementNameGenerator = (query: SqlQuery) =>
    // An empty name is pg's unnamed statement: planned each time, never kept.
    query.args.length > PREPARED_MAX_PARAMETERS
      ? ""
      : `leadfit_${createHash("sha256").update(query.sql).digest("base64url")}`;
  return new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator }) });
}

/** Whether the database at `url` is an embedded one (PGlite), served by another process. */
async function servedByPglite(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>("select version()");
    return rows[0]?.version.includes("PGlite") ?? false;
  } finally {
    await client.end();
  }
}

export async function openDatabase(
  target: DatabaseTarget,
  options: OpenOptions = {},
): Promise<Database> {
  const log = options.log ?? (() => {});
  const migrating = options.migrate ?? true;
  let embedded: EmbeddedDatabase | undefined;
  let url = target.databaseUrl;
  if (url) {
    if (migrating) await migrate(url, log);
  } else {
    // Only the owner migrates the embedded database, before it tells others where it is.
    embedded = await openEmbedded({
      dataDir: target.dataDir,
      log,
      fromTemplate: options.fromTemplate,
      prepare: async (ownUrl) => {
        if (migrating) await migrate(ownUrl, log);
      },
    });
    url = embedded.url;
  }
  // The embedded server runs one session, also when reached by its URL: one connection is all it
  // can serve at a time.
  const oneSession = embedded !== undefined || (await servedByPglite(url));
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
