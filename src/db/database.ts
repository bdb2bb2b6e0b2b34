import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { type EmbeddedDatabase, openEmbedded } from "./embedded.ts";
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

export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
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
      prepare: async (ownUrl) => {
        if (migrating) await migrate(ownUrl, log);
      },
    });
    url = embedded.url;
  }
  // The embedded server runs one query at a time; a single connection keeps transactions whole.
  const pool = new pg.Pool({ connectionString: url, max: embedded ? 1 : 10 });
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
