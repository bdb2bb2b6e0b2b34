import { describe, expect, it } from "vitest";
import { retrying } from "../../src/db/retry.ts";
import { userMessageOf } from "../../src/services/error-notice.ts";

/** A PostgreSQL error as pg raises it. */
const postgresError = (code: string) =>
  Object.assign(new Error("deadlock detected"), { code, severity: "ERROR" });

const BUSY = /busy.*try again/i;

describe("concurrency #6: Slack tells a person the database is busy and to try again", () => {
  it("after the retries ran out", async () => {
    const exhausted = await retrying(() => Promise.reject(postgresError("40001")), {
      attempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
    }).catch((error: unknown) => error);
    expect(userMessageOf({ error: exhausted })).toMatch(BUSY);
  });

  it("for a deadlock met on a path without retries", () => {
    expect(userMessageOf({ error: postgresError("40P01") })).toMatch(BUSY);
  });

  it("but not for an error a retry cannot fix", () => {
    expect(userMessageOf({ error: postgresError("22P02") })).not.toMatch(BUSY);
  });
});
