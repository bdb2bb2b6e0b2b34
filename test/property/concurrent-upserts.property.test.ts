import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inLockOrder } from "../../src/db/lock-order.ts";
import { LeadRepository, type LeadToStore } from "../../src/db/repositories/lead-repository.ts";
import { withTransaction } from "../../src/db/retry.ts";
import { isStorableText } from "../../src/domain/storable.ts";
import { newWorkspace, suiteDatabase } from "../support/database.ts";
import { anyText } from "./arbitraries.ts";

// Batches that write the same rows in any order never deadlock: every writer locks them in one
// order, whatever order the rows arrived in. Retries are off here, so a deadlock fails the run.

const NO_RETRY = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

const externalIds = fc.uniqueArray(
  anyText(30).filter((s) => s.trim() !== "" && isStorableText(s)),
  { minLength: 2, maxLength: 300 },
);

const WRITERS = 4;

/** The same rows, in orders of their own. */
const orders = externalIds.chain((ids) =>
  fc.array(fc.shuffledSubarray(ids, { minLength: ids.length }), {
    minLength: WRITERS,
    maxLength: WRITERS,
  }),
);

function leadInput(externalId: string, title: string): LeadToStore {
  return {
    externalId,
    email: "lead@acme.example",
    name: null,
    company: null,
    title,
    campaignId: null,
    owner: null,
    createdAt: new Date("2026-11-16T08:30:00Z"),
    fields: {},
    definition: { status: "unknown", failures: [], version: null },
  };
}

describe("concurrency #6: rows are written in one order, whatever order they arrive in", () => {
  const { db } = suiteDatabase();

  it("the lock order depends on the keys alone, never on the order they came in", () => {
    fc.assert(
      fc.property(orders, ([first = [], second = []]) => {
        expect(inLockOrder(first, (id) => id)).toEqual(inLockOrder(second, (id) => id));
      }),
    );
  });

  it(`${WRITERS} batches upserting the same leads in different orders at once all commit, without a retry`, async () => {
    await fc.assert(
      fc.asyncProperty(orders, async (batches) => {
        const workspace = await newWorkspace(db.prisma);
        const write = (ids: readonly string[], title: string) =>
          withTransaction(
            db.prisma,
            (tx) =>
              new LeadRepository(tx).upsertMany(
                workspace.id,
                ids.map((id) => leadInput(id, title)),
              ),
            { policy: NO_RETRY },
          );
        // Created first, so every batch updates existing rows: the case that deadlocked.
        await write(batches[0] ?? [], "created");
        const written = await Promise.all(batches.map((ids, i) => write(ids, `batch ${i}`)));
        for (const [i, rows] of written.entries())
          expect(rows).toHaveLength(batches[i]?.length ?? 0);
        const titles = await db.prisma.lead.findMany({
          where: { workspaceId: workspace.id },
          select: { title: true },
          distinct: ["title"],
        });
        expect(titles).toHaveLength(1);
      }),
      { numRuns: 15 },
    );
  });
});
