import { isIP } from "node:net";

// Loopback, private, link-local and other non-public ranges: a webhook must not reach into the
// network Leadfit runs in unless the operator says so.

function ipv4Parts(address: string): number[] {
  return address.split(".").map(Number);
}

function privateIpv4(address: string): boolean {
  const [a = 0, b = 0] = ipv4Parts(address);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** True for an address a webhook may not target by default. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return privateIpv4(address);
  if (version !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped) return privateIpv4(mapped);
  return (
    lower === "::" ||
    lower === "::1" ||
    /^f[cd]/.test(lower) ||
    /^fe[89ab]/.test(lower) ||
    /^ff/.test(lower)
  );
}
