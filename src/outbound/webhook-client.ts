import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { AppError } from "../domain/app-error.ts";
import { isPrivateAddress } from "../domain/network.ts";

/** Every address a host name resolves to; injected so tests can play a rebinding DNS server. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export const resolveWithSystemDns: ResolveHost = (hostname) => lookup(hostname, { all: true });

export interface WebhookTargetPolicy {
  /** LEADFIT_WEBHOOK_ALLOW_PRIVATE: the operator lets webhooks reach their own network. */
  allowPrivate: boolean;
  resolveHost: ResolveHost;
}

function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(
      "invalid_webhook_url",
      `bad URL ${url}`,
      "The webhook URL is not a valid URL.",
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new AppError(
      "invalid_webhook_url",
      `webhook URL must be https or http, not ${parsed.protocol}`,
      "The webhook URL must start with https:// (or http://).",
    );
  }
  return parsed;
}

/** The URL's host without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** A literal address stands for itself; a name is resolved. */
async function addressesOf(host: string, resolveHost: ResolveHost): Promise<LookupAddress[]> {
  const family = isIP(host);
  return family === 0 ? [...(await resolveHost(host))] : [{ address: host, family }];
}

function refusePrivate(host: string, addresses: readonly LookupAddress[]): void {
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  if (!refused) return;
  const where = refused.address === host ? host : `${host} (${refused.address})`;
  throw new AppError(
    "private_webhook_target",
    `${host} resolves to the private address ${refused.address}`,
    `${where} is a loopback or private address; webhooks go to public addresses unless the operator sets LEADFIT_WEBHOOK_ALLOW_PRIVATE=true.`,
  );
}

/**
 * Refuses a URL that is not http(s) or whose host is (or resolves to) a loopback or private
 * address, unless the operator allowed them (LEADFIT_WEBHOOK_ALLOW_PRIVATE=true).
 */
export async function checkWebhookTarget(
  url: string,
  allowPrivate: boolean,
  resolveHost: ResolveHost = resolveWithSystemDns,
): Promise<void> {
  const host = hostOf(parseWebhookUrl(url));
  if (allowPrivate) return;
  const addresses = await addressesOf(host, resolveHost).catch(() => []);
  if (addresses.length === 0) {
    throw new AppError(
      "invalid_webhook_url",
      `cannot resolve ${host}`,
      `The webhook host ${host} does not resolve.`,
    );
  }
  refusePrivate(host, addresses);
}

/**
 * The connection's own name lookup: it resolves, checks, and hands the socket only addresses that
 * passed, so a DNS answer that changes after the check (rebinding) cannot redirect it.
 */
function checkedLookup({ allowPrivate, resolveHost }: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    addressesOf(hostname, resolveHost)
      .then((addresses) => {
        if (!allowPrivate) refusePrivate(hostname, addresses);
        const [first] = addresses;
        if (!first) throw new Error(`${hostname} does not resolve`);
        return { addresses, first };
      })
      .then(
        ({ addresses, first }) =>
          options.all ? callback(null, addresses) : callback(null, first.address, first.family),
        (error: Error) => callback(error, ""),
      );
  };
}

/**
 * POSTs `body` to the webhook URL and returns the receiver's status. Redirects are not followed.
 * The target is checked first (a literal address never goes through a lookup), then every address
 * the connection resolves is checked again; TLS and the Host header keep the URL's host name.
 */
export async function postWebhook(
  input: { url: string; headers: Record<string, string>; body: string },
  policy: WebhookTargetPolicy & { timeoutMs: number },
): Promise<number> {
  await checkWebhookTarget(input.url, policy.allowPrivate, policy.resolveHost);
  const url = new URL(input.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: "POST",
        headers: { ...input.headers, "content-length": Buffer.byteLength(input.body) },
        lookup: checkedLookup(policy),
        // A fresh connection per delivery: a pooled socket would skip the lookup.
        agent: false,
        signal: timeout,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", (error) =>
      reject(
        timeout.aborted
          ? new Error(`the receiver did not answer within ${policy.timeoutMs} ms`, { cause: error })
          : error,
      ),
    );
    request.end(input.body);
  });
}
