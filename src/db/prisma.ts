import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import type pg from "pg";
import { PrismaClient } from "./generated/client.ts";

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
