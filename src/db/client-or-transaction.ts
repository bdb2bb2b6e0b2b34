import type { PrismaClient } from "./generated/client.ts";
import type { TransactionClient } from "./generated/internal/prismaNamespace.ts";

/** The client or an open transaction: repositories work the same on either. */
export type Db = PrismaClient | TransactionClient;

/**
 * Runs `work` in one transaction: a new one opened on the client by `open`, or the transaction
 * `db` already is (a service's own), so a repository's several writes stay atomic either way.
 */
export function atomically<T>(
  db: Db,
  work: (tx: TransactionClient) => Promise<T>,
  open: (client: PrismaClient, work: (tx: TransactionClient) => Promise<T>) => Promise<T> = (
    client,
    inner,
  ) => client.$transaction(inner),
): Promise<T> {
  return isClient(db) ? open(db, work) : work(db);
}

function isClient(db: Db): db is PrismaClient {
  return "$transaction" in db;
}
