import type { Deps } from "../deps.ts";
import { type Route, sendJson } from "./router.ts";

/** GET /healthz: 200 when the database answers, 503 when it does not. */
export function healthRoute(deps: Pick<Deps, "db" | "log">): Route {
  return {
    method: "GET",
    path: "/healthz",
    handler: async (_req, res) => {
      try {
        await deps.db.pool.query("select 1");
        sendJson(res, 200, { ok: true, database: "ok" });
      } catch (error) {
        deps.log.warn("health check: database unreachable", { error: String(error) });
        sendJson(res, 503, { ok: false, database: "unreachable" });
      }
    },
  };
}
