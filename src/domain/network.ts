import ipaddr from "ipaddr.js";

// A webhook must not reach into the network Leadfit runs in unless the operator says so. The IANA
// special-purpose ranges come from ipaddr.js: an address is allowed only when ipaddr.js calls its
// range 'unicast' (for IPv6, also inside 2000::/3, the only block allocated for global unicast),
// or when it plainly stands for an IPv4 address that is itself allowed.

const GLOBAL_UNICAST_IPV6 = ipaddr.IPv6.parseCIDR("2000::/3");
// ipaddr.js calls both NAT64 prefixes 'rfc6052'; only the well-known one carries the IPv4 address
// in its last 32 bits and is globally reachable (64:ff9b:1::/48 is for local use).
const WELL_KNOWN_NAT64 = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

function isPublicIpv4(address: ipaddr.IPv4): boolean {
  return address.range() === "unicast";
}

/** The IPv4 address in the last 32 bits (IPv4-mapped, NAT64). */
function lastIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return new ipaddr.IPv4(address.toByteArray().slice(12));
}

function isPublicIpv6(address: ipaddr.IPv6): boolean {
  switch (address.range()) {
    case "unicast":
      return address.match(GLOBAL_UNICAST_IPV6);
    // Both reach the embedded IPv4 address itself; DNS64 networks answer public names with NAT64.
    case "ipv4Mapped":
      return isPublicIpv4(lastIpv4(address));
    case "rfc6052":
      return address.match(WELL_KNOWN_NAT64) && isPublicIpv4(lastIpv4(address));
    // 6to4, Teredo and every other special-purpose range: not plainly global unicast.
    default:
      return false;
  }
}

/** True for an address a webhook may not target by default: anything not plainly global unicast. */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  return !(parsed instanceof ipaddr.IPv4 ? isPublicIpv4(parsed) : isPublicIpv6(parsed));
}
