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
