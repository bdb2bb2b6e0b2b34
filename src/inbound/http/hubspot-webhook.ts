import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../domain/app-error.ts";
import { hubspotWebhookDeliverySchema } from "../../domain/hubspot-webhook.ts";
import { receiveHubSpotWebhook } from "../../services/receive-hubspot-webhook.ts";
import { parseJson, readBody } from "./api/body.ts";
import { sendApiError } from "./api/errors.ts";
import { type Route, sendError, sendJson } from "./router.ts";

export const HUBSPOT_WEBHOOK_PATH = "/crm/hubspot/webhook";
/** HubSpot sends at most 100 events a request, a few hundred bytes each. */
export const MAX_HUBSPOT_WEBHOOK_BYTES = 1024 * 1024;
/** HubSpot's reference: refuse a request whose timestamp is older than 5 minutes. */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/**
 * Whether a request carries HubSpot's v3 signature, as HubSpot's "Validating requests from
 * HubSpot" reference (Webhooks API, v3 request signature) defines it: X-HubSpot-Signature-v3 is
 * the base64 HMAC SHA-256, keyed with the app's client secret, of method + full request URI + raw
 * body + X-HubSpot-Request-Timestamp (milliseconds), and a timestamp more than 5 minutes old is
 * refused (one as far in the future too: a clock that far off signs nothing Leadfit trusts).
 * Compared in constant time. The API client's own Signature helper compares with `===` and loads
 * the whole client, so this is the few lines it would save.
 */
export function hubspotSignatureValid(input: {
  secret: string;
  method: string;
  uri: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
}): boolean {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(input.now.getTime() - Number(timestamp)) > HUBSPOT_SIGNATURE_MAX_AGE_MS)
    return false;
  const expected = createHmac("sha256", input.secret)
    .update(`${input.method}${input.uri}`)
    .update(input.body)
    .update(timestamp)
    .digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The URI HubSpot signed: the address it called. Behind a proxy that ends TLS, the forwarded
 * scheme and host say what it was; trusting them costs nothing, since a forged header only makes
 * a genuine signature fail to match.
 */
function requestUri(req: IncomingMessage): string {
  const first = (header: string | string[] | undefined) =>
    (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim();
  const scheme =
    first(req.headers["x-forwarded-proto"]) ??
    ((req.socket as TLSSocket).encrypted ? "https" : "http");
  const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host ?? "";
  return `${scheme}://${host}${req.url ?? ""}`;
}

/**
 * HubSpot's webhook deliveries (its app's webhook subscriptions): the signature checked, the
 * events parsed and marked to fetch, and HubSpot answered at once; a job fetches each object by
 * id. Not configured (404) without HUBSPOT_CLIENT_SECRET, the key HubSpot signs with: a private
 * app's client secret alone is enough (it has no OAuth client id).
 */
export function hubspotWebhookRoute(deps: Deps): Route {
  return {
    method: "POST",
    path: HUBSPOT_WEBHOOK_PATH,
    handler: async (req, res) => {
      const secret = deps.config.crm.hubspot.webhookSecret;
      if (!secret) {
        req.resume();
        sendError(
          res,
          404,
          "not_configured",
          "HubSpot webhooks are not configured here: set HUBSPOT_CLIENT_SECRET to the client secret of the HubSpot app that sends them.",
        );
        return;
      }
      try {
        const body = await readBody(req, MAX_HUBSPOT_WEBHOOK_BYTES);
        const signed = hubspotSignatureValid({
          secret,
          method: req.method ?? "POST",
          uri: requestUri(req),
          body,
          signature: req.headers["x-hubspot-signature-v3"] as string | undefined,
          timestamp: req.headers["x-hubspot-request-timestamp"] as string | undefined,
          now: deps.now(),
        });
        // Which part failed is not said: it would help only someone trying to forge one.
        if (!signed) {
          sendError(res, 401, "unauthorized", "Not signed by HubSpot.");
          return;
        }
        const delivery = hubspotWebhookDeliverySchema.safeParse(parseJson(body));
        if (!delivery.success) {
          const issue = delivery.error.issues[0];
          throw new AppError(
            "invalid_request",
            `HubSpot webhook body: ${issue?.path.join(".")} ${issue?.message}`,
            `Not a HubSpot webhook delivery: ${issue?.path.join(".") || "body"}: ${issue?.message}`,
          );
        }
        const receipt = await receiveHubSpotWebhook(deps, delivery.data);
        sendJson(res, 200, { marked: receipt.marked });
      } catch (error) {
        sendApiError(res, error, (e) =>
          deps.log.error("HubSpot webhook failed", {
            error: String(e),
            stack: e instanceof Error ? e.stack : undefined,
          }),
        );
      }
    },
  };
}
