import type { IncomingMessage, ServerResponse } from "node:http";
import type { InputProblem } from "../../domain/app-error.ts";

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => Promise<void> | void;

export interface Route {
  method: string;
  /** A path with `:name` segments, e.g. /api/v1/leads/:externalId. */
  path: string;
  handler: Handler;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A page for a person's browser; never cached, since it tells the outcome of one request. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
  });
  res.end(html);
}

/** Enough to fix a batch by; all of a 1,000-row batch's problems could run to megabytes. */
export const MAX_LISTED_ISSUES = 100;

/**
 * An error in the API's shape: `{ error, message, issues }`, the same on every route; `issues`
 * lists at most the first MAX_LISTED_ISSUES, and when there are any, `totalIssues` counts them all.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  issues: readonly InputProblem[] = [],
  totalIssues = issues.length,
): void {
  sendJson(res, status, {
    error,
    message,
    issues: issues.slice(0, MAX_LISTED_ISSUES),
    ...(issues.length > 0 ? { totalIssues } : {}),
  });
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? "";
    if (part.startsWith(":")) {
      if (!actual) return undefined;
      params[part.slice(1)] = decodeURIComponent(actual);
    } else if (part !== actual) {
      return undefined;
    }
  }
  return params;
}

export const INTERNAL_ERROR = "Something went wrong on our side; it has been logged.";

/**
 * A small router: exact methods and paths, 404 and 405 as JSON. `routes` answer at once; the routes
 * `later` gives (code loaded after start-up) are waited for when none of `routes` fits a request.
 */
export function router(
  routes: readonly Route[],
  onError: (error: unknown, req: IncomingMessage) => void,
  later: () => Promise<readonly Route[]> = async () => [],
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const fits = (route: Route) => {
      try {
        return route.method === req.method && match(route.path, path) !== undefined;
      } catch {
        return false;
      }
    };
    let candidates = routes;
    if (!routes.some(fits)) {
      try {
        candidates = [...routes, ...(await later())];
      } catch (error) {
        onError(error, req);
        return sendError(res, 500, "internal", INTERNAL_ERROR);
      }
    }
    let matching: { route: Route; params: Record<string, string> | undefined }[];
    try {
      matching = candidates
        .map((r) => ({ route: r, params: match(r.path, path) }))
        .filter((m) => m.params);
    } catch {
      // decodeURIComponent refuses a malformed %-escape in a path parameter.
      return sendError(res, 400, "invalid_path", `${path} is not a valid path.`);
    }
    const found = matching.find((m) => m.route.method === req.method);
    try {
      if (found?.params) return await found.route.handler(req, res, found.params);
      if (matching.length > 0)
        return sendError(
          res,
          405,
          "method_not_allowed",
          `Use ${matching.map((m) => m.route.method).join(" or ")} for ${path}.`,
        );
      sendError(res, 404, "not_found", `Nothing at ${path}.`);
    } catch (error) {
      onError(error, req);
      if (!res.headersSent) sendError(res, 500, "internal", INTERNAL_ERROR);
      else res.end();
    }
  };
}
