import { describe, expect, it } from "vitest";
import { readAhead } from "../../src/domain/read-ahead.ts";

/** A source of pages 1…`count` that logs when each is read, failing after `failAfter` pages. */
function pages(count: number, log: string[], failAfter = Number.POSITIVE_INFINITY) {
  return (async function* () {
    try {
      for (let n = 1; n <= count; n++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (n > failAfter) throw new Error(`page ${n} failed`);
        log.push(`read ${n}`);
        yield n;
      }
    } finally {
      log.push("source ended");
    }
  })();
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("readAhead", () => {
  it("reads up to `depth` pages ahead of the one being stored, in order, and no further", async () => {
    const log: string[] = [];
    for await (const page of readAhead(pages(6, log), 2)) {
      await settle();
      log.push(`store ${page}`);
    }
    expect(log).toEqual([
      "read 1",
      "read 2",
      "read 3",
      "store 1",
      "read 4",
      "store 2",
      "read 5",
      "store 3",
      "read 6",
      "store 4",
      "source ended",
      "store 5",
      "store 6",
    ]);
  });

  it("hands the pages read before a failure on, then the failure", async () => {
    const log: string[] = [];
    const stored: number[] = [];
    await expect(async () => {
      for await (const page of readAhead(pages(6, log, 3), 3)) stored.push(page);
    }).rejects.toThrow("page 4 failed");
    expect(stored).toEqual([1, 2, 3]);
  });

  it("ends the source when the consumer stops", async () => {
    const log: string[] = [];
    await expect(async () => {
      for await (const page of readAhead(pages(100, log), 2))
        if (page === 2) throw new Error("store failed");
    }).rejects.toThrow("store failed");
    expect(log.at(-1)).toBe("source ended");
    expect(log.filter((l) => l.startsWith("read")).length).toBeLessThanOrEqual(4);
  });
});
