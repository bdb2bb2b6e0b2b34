import { setTimeout as sleep } from "node:timers/promises";
import { AppError, isAppError } from "../domain/app-error.ts";
import type { PrismaClient } from "./generated/client.ts";
import type { TransactionClient } from "./generated/internal/prismaNamespace.ts";

/**
 * SQLSTATEs meaning another writer got in the way, so the same work can succeed when run again:
 * deadlock, serialization failure, lock not available, and a unique key taken by a concurrent
 * insert (work that derives a key from what it read, such as the next version number, reads again).
 */
const RETRYABLE_STATES = new Set(["40P01", "40001", "55P03", "23505"]);

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** The n-th retry waits a random time up to min(maxDelayMs, baseDelayMs × 2ⁿ) (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 25, maxDelayMs: 500 };

/** The PostgreSQL SQLSTATE behind an error, from pg itself or wrapped by Prisma's driver adapter. */
export function databaseErrorState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const { code, severity, meta, cause } = e as {
      code?: unknown;
      severity?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
    };
    // pg's errors carry the SQLSTATE as `code` beside a severity; Prisma's own codes (P2002) do not.
    if (typeof code === "string" && typeof severity === "string") return code;
    const adapted = meta?.driverAdapterError?.cause?.originalCode;
    if (typeof adapted === "string") return adapted;
    e = cause;
  }
  return undefined;
}

/**
 * Prisma's answer when no connection came free within a transaction's `maxWait`: every connection
 * is busy with other work (the embedded database has one), and nothing was started.
 */
function isTransactionStartTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  return code === "P2028" && error.message.includes("Unable to start a transaction");
}

export function isRetryableDatabaseError(error: unknown): boolean {
  // An AppError is already an answer (database_busy keeps its cause): never retried again.
  if (isAppError(error)) return false;
  const state = databaseErrorState(error);
  return (state !== undefined && RETRYABLE_STATES.has(state)) || isTransactionStartTimeout(error);
}

/**
 * Runs `work` again while the database refuses it for a retryable reason, up to the policy's
 * attempts with jittered backoff; then gives up with a `database_busy` AppError (nothing written,
 * try again shortly). `work` must be the whole unit to repeat: a transaction, never a statement
 * inside one (an aborted transaction cannot go on).
 */
export async function retrying<T>(
  work: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryableDatabaseError(error)) throw error;
      if (attempt >= policy.attempts) throw databaseBusy(error, attempt);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}

/** The `database_busy` AppError for a retryable error: nothing was written, try again shortly. */
export function databaseBusy(cause: unknown, attempts = 1): AppError {
  return new AppError(
    "database_busy",
    `gave up after ${attempts} attempt(s) (${databaseErrorState(cause) ?? cause})`,
    "Leadfit is busy with other changes to the same data, so nothing was saved. Please try again in a few seconds.",
    { cause },
  );
}

/** One transaction, run again from the start when the database asks for a retry (see `retrying`). */
export function withTransaction<T>(
  prisma: PrismaClient,
  work: (tx: TransactionClient) => Promise<T>,
  options: { timeout?: number; maxWait?: number; policy?: RetryPolicy } = {},
): Promise<T> {
  const { policy, ...transactionOptions } = options;
  return retrying(() => prisma.$transaction(work, transactionOptions), policy);
}
