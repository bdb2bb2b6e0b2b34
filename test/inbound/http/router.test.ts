import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Route, router, sendJson } from "../../../src/inbound/http/router.ts";

let server: Server | undefined;
afterEach(() => server?.close());

const answering = (method: string, path: string, body: unknown): Route => ({
  method,
  path,
  handler: (_req, res) => sendJson(res, 200, body),
});

/** A server over `router(routes, …, later)`; the errors it logs are collected. */
async function serve(routes: Route[], later: () => Promise<readonly Route[]>) {
  const errors: unknown[] = [];
  server = createServer(router(routes, (error) => errors.push(error), later));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { errors, send: (method: string, path: string) => fetch(`${base}${path}`, { method }) };
}

describe("router with routes loaded later", () => {
  it("answers its own routes without waiting for the later ones", async () => {
    const { send } = await serve(
      [answering("GET", "/healthz", { ok: true })],
      () => new Promise(() => {}),
    );
    const response = await send("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("waits for the later routes when none of its own fits, then answers as one router", async () => {
    let load!: (routes: Route[]) => void;
    const loading = new Promise<Route[]>((resolve) => {
      load = resolve;
    });
    const { send } = await serve([answering("GET", "/healthz", { ok: true })], () => loading);
    const answer = send("GET", "/api/v1/things/7");
    load([
      {
        method: "GET",
        path: "/api/v1/things/:id",
        handler: (_req, res, params) => sendJson(res, 200, params),
      },
      answering("POST", "/healthz", { posted: true }),
    ]);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "7" });
    // A method neither group has for a path: both groups' methods are named.
    const wrongMethod = await send("DELETE", "/healthz");
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ message: "Use GET or POST for /healthz." });
    expect((await send("POST", "/healthz")).status).toBe(200);
    expect((await send("GET", "/nothing")).status).toBe(404);
    const badEscape = await send("GET", "/api/v1/things/%E0%A4%A");
    expect(badEscape.status).toBe(400);
  });

  it("answers 500 and logs when the later routes cannot load", async () => {
    const { send, errors } = await serve([], () => Promise.reject(new Error("module missing")));
    const response = await send("GET", "/api/v1/leads");
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: "internal" });
    expect(errors.map(String)).toEqual(["Error: module missing"]);
  });
});
