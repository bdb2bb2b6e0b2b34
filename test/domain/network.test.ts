import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../src/domain/network.ts";

describe("webhook target addresses", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.5",
    "192.168.1.10",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fd00::1",
    "fe80::1",
    "::ffff:10.0.0.1",
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("security #2: webhook targets in every IPv6 spelling", () => {
  it.each([
    // IPv4-mapped, compressed, fully written, zero-padded, upper case
    "::ffff:127.0.0.1",
    "0:0:0:0:0:ffff:7f00:1",
    "0000:0000:0000:0000:0000:FFFF:7F00:0001",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "::FFFF:A9FE:A9FE",
    "::ffff:100.64.0.1",
    // IPv4-compatible (deprecated) and IPv4-translated
    "::127.0.0.1",
    "::7f00:1",
    "::ffff:0:7f00:1",
    // NAT64, well-known and local-use prefixes
    "64:ff9b::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::a00:1",
    // 6to4 of 127.0.0.1 and 192.168.1.1
    "2002:7f00:1::1",
    "2002:c0a8:101::1",
    // Teredo whose (obfuscated) client is 127.0.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fefe",
  ])("%s embeds a loopback or private IPv4 address and is refused", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.5",
    "203.0.113.5",
    "100.127.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
  ])("%s is in the IPv4 special-purpose registry and is refused", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    "::",
    "100::1",
    "2001:2::1",
    "2001:db8::1",
    "3fff::1",
    "5f00::1",
    "fec0::1",
    "ff02::1",
    "4000::1",
  ])("%s is not global unicast IPv6 and is refused", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "%s stands for a public IPv4 address and is allowed",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  // Tunnels (deprecated 6to4, Teredo) are not plainly global unicast, whatever they carry.
  it.each(["2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"])(
    "%s is a tunnel address and is refused even around a public IPv4 address",
    (address) => {
      expect(isPrivateAddress(address)).toBe(true);
    },
  );

  it.each(["", "example.com", "1.2.3.4.5", "::g"])(
    "%j is not an address and is refused",
    (text) => {
      expect(isPrivateAddress(text)).toBe(true);
    },
  );
});
