import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { AppError } from "../domain/app-error.ts";
import { isPrivateAddress } from "../domain/network.ts";

/** Every address a host name resolves to; injected so tests can play a rebinding DNS server. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export const resolveWithSystemDns: ResolveHost = (hostname) => lookup(hostname, { all: true });

/**
 * Refuses a URL whose host is (or resolves to) a loopback or private address, unless the operator
 * allowed them (LEADFIT_WEBHOOK_ALLOW_PRIVATE=true).
 */
export async function checkWebhookTarget(
  url: string,
  allowPrivate: boolean,
  resolveHost: ResolveHost = resolveWithSystemDns,
): Promise<void> {
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
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const addresses = await resolveHost(host).catch(() => []);
  if (addresses.length === 0) {
    throw new AppError(
      "invalid_webhook_url",
      `cannot resolve ${host}`,
      `The webhook host ${host} does not resolve.`,
    );
  }
  if (addresses.some((a) => isPrivateAddress(a.address))) {
    throw new AppError(
      "private_webhook_target",
      `${host} resolves to a private address`,
      `${host} is a loopback or private address; webhooks go to public addresses unless the operator sets LEADFIT_WEBHOOK_ALLOW_PRIVATE=true.`,
    );
  }
}
