import { createRequire } from "node:module";
import ipaddr from "ipaddr.js";
import type * as RateLimiters from "rate-limiter-flexible";

// The in-memory limiter's own file: the package's index loads every store it supports (Redis,
// Mongo, Postgres, DynamoDB, …): 36 modules instead of 5. It is CommonJS, loaded with require: see
// "CommonJS packages" in the README's Footprint.
const RateLimiterMemory: typeof RateLimiters.RateLimiterMemory = createRequire(import.meta.url)(
  "rate-limiter-flexible/lib/RateLimiterMemory.js",
);

/**
 * Bad API keys one client address may send in a minute before its requests are refused (429)
 * until the minute is over. A misconfigured integration stays well under it; a guesser is slowed.
 */
export const BAD_KEYS_PER_MINUTE = 20;

/**
 * Counts bad API keys per client address, in memory (per process). The address is the socket's:
 * behind a reverse proxy every client shares the proxy's address, and X-Forwarded-For is not
 * trusted, because any client can write it.
 */
export class BadKeyThrottle {
  private readonly limiter: RateLimiters.RateLimiterMemory;

  constructor(badKeysPerMinute = BAD_KEYS_PER_MINUTE) {
    this.limiter = new RateLimiterMemory({ points: badKeysPerMinute, duration: 60 });
  }

  /** Seconds the address must wait before its next key is looked at; 0 when it may send one now. */
  async secondsToWait(address: string | undefined): Promise<number> {
    const used = await this.limiter.get(clientOf(address));
    if (!used || used.remainingPoints > 0) return 0;
    return Math.max(1, Math.ceil(used.msBeforeNext / 1000));
  }

  async recordBadKey(address: string | undefined): Promise<void> {
    await this.limiter.penalty(clientOf(address), 1);
  }
}

/**
 * One client: an IPv4 address (also when written IPv4-mapped), or an IPv6 /64, the block one
 * subscriber gets, so walking through its addresses does not buy more guesses.
 */
function clientOf(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return "unknown";
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}
