import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { retrying } from "../../../src/db/retry.ts";
import { sendApiError } from "../../../src/inbound/http/api/errors.ts";

/** What the API answers for `error`, over real HTTP. */
async function answerFor(error: unknown) {
  const logged: unknown[] = [];
  server = createServer((_req, res) => sendApiError(res, error, (e) => logged.push(e)));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as { error: string; message: string },
    logged,
  };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A PostgreSQL error as pg raises it. */
const postgresError = (code: string) =>
  Object.assign(new Error("deadlock detected"), { code, severity: "ERROR" });

describe("concurrency #6: the API answers a database too busy to write with 503 and Retry-After, never 500", () => {
  it("a write that stayed deadlocked through every retry is a 503 database_busy with Retry-After", async () => {
    const exhausted = await retrying(() => Promise.reject(postgresError("40P01")), {
      attempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
    }).catch((error: unknown) => error);
    const answer = await answerFor(exhausted);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe("database_busy");
    expect(answer.body.message).toMatch(/try again/i);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.logged).toEqual([]);
  });

  it("a deadlock that reached the API without the retry helper is a 503 database_busy too, and logged", async () => {
    const deadlock = postgresError("40P01");
    const answer = await answerFor(deadlock);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe("database_busy");
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.logged).toEqual([deadlock]);
  });

  it("an unreachable database is a 503 with Retry-After too", async () => {
    const answer = await answerFor(
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    );
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe("database_unavailable");
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  });
});
