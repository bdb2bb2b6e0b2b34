import type { IncomingMessage, ServerResponse } from "node:http";

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

/** A small router: exact methods and paths, 404 and 405 as JSON. */
export function router(
  routes: readonly Route[],
  onError: (error: unknown, req: IncomingMessage) => void,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    let matching: { route: Route; params: Record<string, string> | undefined }[];
    try {
      matching = routes
        .map((r) => ({ route: r, params: match(r.path, path) }))
        .filter((m) => m.params);
    } catch {
      // decodeURIComponent refuses a malformed %-escape in a path parameter.
      return sendJson(res, 400, { error: "invalid_path", message: `${path} is not a valid path.` });
    }
    const found = matching.find((m) => m.route.method === req.method);
    try {
      if (found?.params) return await found.route.handler(req, res, found.params);
      if (matching.length > 0)
        return sendJson(res, 405, {
          error: "method_not_allowed",
          message: `Use ${matching.map((m) => m.route.method).join(" or ")} for ${path}.`,
        });
      sendJson(res, 404, { error: "not_found", message: `Nothing at ${path}.` });
    } catch (error) {
      onError(error, req);
      if (!res.headersSent)
        sendJson(res, 500, {
          error: "internal",
          message: "Something went wrong on our side; it has been logged.",
        });
      else res.end();
    }
  };
}
