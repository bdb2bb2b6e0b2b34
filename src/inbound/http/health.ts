import type { Deps } from "../../deps.ts";
import { type Route, sendJson } from "./router.ts";

/**
 * How long /healthz waits for the database. Longer means busy (a long transaction ahead of it on
 * the embedded database, a saturated pool), which a load balancer should hear about promptly.
 */
const DATABASE_WAIT_MS = 1_000;

/** GET /healthz: 200 when the database answers, 503 when it does not or not in time. */
export function healthRoute(
  deps: Pick<Deps, "db" | "log">,
  options: { databaseWaitMs?: number } = {},
): Route {
  const waitMs = options.databaseWaitMs ?? DATABASE_WAIT_MS;
  return {
    method: "GET",
    path: "/healthz",
    handler: async (_req, res) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"busy">((resolve) => {
        timer = setTimeout(() => resolve("busy"), waitMs);
      });
      try {
        const answer = await Promise.race([deps.db.pool.query("select 1"), late]);
        if (answer !== "busy") return sendJson(res, 200, { ok: true, database: "ok" });
        deps.log.warn("health check: database busy", { waitedMs: waitMs });
        res.setHeader("retry-after", "1");
        sendJson(res, 503, { ok: false, database: "busy" });
      } catch (error) {
        deps.log.warn("health check: database unreachable", { error: String(error) });
        sendJson(res, 503, { ok: false, database: "unreachable" });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
