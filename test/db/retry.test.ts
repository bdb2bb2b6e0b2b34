import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPrisma } from "../../src/db/prisma.ts";
import { retrying, withTransaction } from "../../src/db/retry.ts";
import { AppError } from "../../src/domain/app-error.ts";
import { databaseUrl, newWorkspace, suiteDatabase, uniqueId } from "../support/database.ts";

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe("concurrency #6: one retry helper for the database's retryable errors", () => {
  const { db } = suiteDatabase();

  const raise = (state: string) =>
    `do $$ begin raise exception 'simulated' using errcode = '${state}'; end $$`;

  it.each([
    ["40P01", "deadlock detected"],
    ["40001", "serialization failure"],
    ["55P03", "lock not available"],
  ])(
    "runs a transaction again after %s (%s) and returns what the retry returned",
    async (state) => {
      const workspace = await newWorkspace(db.prisma);
      let attempts = 0;
      const key = uniqueId("c");
      const result = await withTransaction(
        db.prisma,
        async (tx) => {
          attempts += 1;
          await tx.campaign.create({ data: { workspaceId: workspace.id, key, name: key } });
          if (attempts === 1) await tx.$executeRawUnsafe(raise(state));
          return attempts;
        },
        { policy: FAST },
      );
      expect(result).toBe(2);
      // The first attempt's write was rolled back with it: one campaign, not two.
      expect(await db.prisma.campaign.count({ where: { workspaceId: workspace.id, key } })).toBe(1);
    },
  );

  it("runs again after a unique key taken by another writer, seen through Prisma's model API", async () => {
    const workspace = await newWorkspace(db.prisma);
    const key = uniqueId("c");
    await db.prisma.campaign.create({ data: { workspaceId: workspace.id, key, name: key } });
    let attempts = 0;
    const created = await withTransaction(
      db.prisma,
      async (tx) => {
        attempts += 1;
        const wanted = attempts === 1 ? key : `${key}-2`;
        return tx.campaign.create({
          data: { workspaceId: workspace.id, key: wanted, name: wanted },
          select: { key: true },
        });
      },
      { policy: FAST },
    );
    expect(created.key).toBe(`${key}-2`);
    expect(attempts).toBe(2);
  });

  it("gives up after the policy's attempts with a database_busy AppError that keeps the cause", async () => {
    let attempts = 0;
    const failure = await retrying(async () => {
      attempts += 1;
      await db.prisma.$executeRawUnsafe(raise("40P01"));
    }, FAST).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(attempts).toBe(FAST.attempts);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "database_busy" });
    expect((failure as AppError).cause).toBeDefined();
  });

  it("treats a transaction that cannot get a connection within its wait as busy: retried, then database_busy", async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const prisma = createPrisma(pool);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Holds the pool's only connection until released.
    const holder = prisma.$transaction(() => held, { timeout: 60_000 });
    try {
      let started = 0;
      const failure = await withTransaction(
        prisma,
        async () => {
          started += 1;
        },
        { maxWait: 20, policy: FAST },
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(started).toBe(0);
      expect(failure).toMatchObject({ code: "database_busy" });
    } finally {
      release();
      await holder;
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it("never retries an error another attempt cannot fix", async () => {
    let attempts = 0;
    await expect(
      retrying(async () => {
        attempts += 1;
        await db.prisma.$executeRawUnsafe(raise("22P02"));
      }, FAST),
    ).rejects.not.toBeInstanceOf(AppError);
    expect(attempts).toBe(1);
  });
});
