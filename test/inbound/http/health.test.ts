import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.ts";
import { healthRoute } from "../../../src/inbound/http/health.ts";
import type { Logger } from "../../../src/log.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let server: Server | undefined;
afterEach(() => server?.close());

/** /healthz over HTTP with a pool whose every query waits for `answer`. */
async function healthz(answer: Promise<unknown>, databaseWaitMs: number): Promise<Response> {
  const pool = { query: () => answer } as unknown as Database["pool"];
  const route = healthRoute({ db: { pool } as Database, log: quiet }, { databaseWaitMs });
  server = createServer((req, res) => void route.handler(req, res, {}));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
}

describe("stall #4: /healthz does not wait on a blocked database", () => {
  it("answers 503 busy with Retry-After when the database does not answer in time", async () => {
    const response = await healthz(new Promise(() => {}), 50);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ ok: false, database: "busy" });
  });

  it("answers 200 when the database answers in time", async () => {
    const response = await healthz(Promise.resolve({ rows: [] }), 60_000);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "ok" });
  });
});
