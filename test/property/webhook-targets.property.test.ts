import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../src/domain/network.ts";
import {
  checkWebhookTarget,
  postWebhook,
  type ResolveHost,
} from "../../src/outbound/webhook-client.ts";

// Security #2: an IPv4 address from the IANA special-purpose registry (or multicast) stays refused
// however it is written: embedded in IPv6 (mapped, compatible, translated, NAT64, 6to4, Teredo),
// fully written, zero-padded, compressed, with a dotted tail, in upper case, or as a numeric host.

/** IANA IPv4 special-purpose blocks that are not globally reachable, and multicast. */
const SPECIAL_IPV4_BLOCKS: readonly [base: string, prefix: number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
  ["255.255.255.255", 32],
];

/** Addresses known to be public, to show the spellings below are read as the address they carry. */
const PUBLIC_IPV4 = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "151.101.1.69"].map(toNumber);

function toNumber(dotted: string): number {
  return dotted.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function octets(ipv4: number): number[] {
  return [ipv4 >>> 24, (ipv4 >>> 16) & 255, (ipv4 >>> 8) & 255, ipv4 & 255];
}

const specialIpv4: fc.Arbitrary<number> = fc
  .constantFrom(...SPECIAL_IPV4_BLOCKS)
  .chain(([base, prefix]) =>
    fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => toNumber(base) + offset),
  );

const group = fc.integer({ min: 0, max: 0xffff });

/** IPv6 forms that carry an IPv4 address, as eight 16-bit groups; `tail` when it is the last 32 bits. */
function embeddings(ipv4: number): fc.Arbitrary<{ groups: number[]; tail: boolean }> {
  const high = ipv4 >>> 16;
  const low = ipv4 & 0xffff;
  const lastBits = (prefix: number[]) => ({ groups: [...prefix, high, low], tail: true });
  return fc.oneof(
    fc.constant(lastBits([0, 0, 0, 0, 0, 0xffff])), // IPv4-mapped
    fc.constant(lastBits([0, 0, 0, 0, 0, 0])), // IPv4-compatible
    fc.constant(lastBits([0, 0, 0, 0, 0xffff, 0])), // IPv4-translated
    fc.constant(lastBits([0x64, 0xff9b, 0, 0, 0, 0])), // NAT64, well-known prefix
    fc
      .tuple(group, group, group) // NAT64, local-use prefix
      .map(([a, b, c]) => lastBits([0x64, 0xff9b, 1, a, b, c])),
    fc
      .array(group, { minLength: 5, maxLength: 5 }) // 6to4
      .map((rest) => ({ groups: [0x2002, high, low, ...rest], tail: false })),
    fc
      .tuple(group, group, group, group) // Teredo: server, flags, port, client obfuscated
      .map(([serverHigh, serverLow, flags, port]) => ({
        groups: [0x2001, 0, serverHigh, serverLow, flags, port, high ^ 0xffff, low ^ 0xffff],
        tail: false,
      })),
    fc
      .tuple(group, group) // Teredo: the special address as the server
      .map(([flags, port]) => ({
        groups: [0x2001, 0, high, low, flags, port, 0xf7f7, 0xf7f7],
        tail: false,
      })),
  );
}

/** Replaces the longest run of two or more zero groups with "::". */
function compress(groups: string[]): string {
  let best = { start: -1, length: 1 };
  for (let start = 0; start < groups.length; start++) {
    let length = 0;
    while (groups[start + length] === "0") length++;
    if (length > best.length) best = { start, length };
  }
  if (best.start < 0) return groups.join(":");
  const head = groups.slice(0, best.start).join(":");
  const rest = groups.slice(best.start + best.length).join(":");
  return `${head}::${rest}`;
}

/** Every way to write one IPv6 address (eight groups) that carries `ipv4`. */
function spellings(groups: number[], tail: boolean, ipv4: number): fc.Arbitrary<string> {
  const hex = groups.map((g) => g.toString(16));
  const dotted = [...hex.slice(0, 6), octets(ipv4).join(".")];
  const written = [
    hex.join(":"),
    hex.map((g) => g.padStart(4, "0")).join(":"),
    compress(hex),
    ...(tail ? [dotted.join(":"), compress(dotted)] : []),
  ];
  return fc
    .tuple(fc.constantFrom(...written), fc.boolean())
    .map(([text, upper]) => (upper ? text.toUpperCase() : text));
}

const ipv6Around = (ipv4: fc.Arbitrary<number>) =>
  ipv4.chain((v4) => embeddings(v4).chain(({ groups, tail }) => spellings(groups, tail, v4)));

/** The numeric IPv4 host forms the URL parser accepts: decimal, octal, hex, short. */
function numericHosts(ipv4: number): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = octets(ipv4);
  return [
    String(ipv4),
    `0x${ipv4.toString(16)}`,
    [a, b, c, d].map((o) => `0${o.toString(8)}`).join("."),
    [a, b, c, d].map((o) => `0x${o.toString(16)}`).join("."),
    `${a}.${(b << 16) | (c << 8) | d}`,
    `${a}.${b}.${(c << 8) | d}`,
  ];
}

describe("security #2: webhook targets in every IPv6 spelling (property)", () => {
  it("refuses a special-purpose IPv4 address embedded in IPv6, however it is written", () => {
    fc.assert(
      fc.property(ipv6Around(specialIpv4), (spelling) => {
        expect(isIP(spelling)).toBe(6);
        expect(isPrivateAddress(spelling)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses the same spellings as URL hosts", async () => {
    await fc.assert(
      fc.asyncProperty(ipv6Around(specialIpv4), async (spelling) => {
        await expect(checkWebhookTarget(`http://[${spelling}]:8080/hook`, false)).rejects.toThrow(
          expect.objectContaining({ code: "private_webhook_target" }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a special-purpose IPv4 address written as a decimal, octal or hex host", async () => {
    await fc.assert(
      fc.asyncProperty(
        specialIpv4.chain((v4) => fc.constantFrom(...numericHosts(v4))),
        async (host) => {
          await expect(checkWebhookTarget(`http://${host}/hook`, false)).rejects.toThrow(
            expect.objectContaining({ code: "private_webhook_target" }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reads a public IPv4 address in the mapped and NAT64 spellings as public", () => {
    const mappedOrNat64 = fc
      .constantFrom(...PUBLIC_IPV4)
      .chain((v4) =>
        fc
          .constantFrom([0, 0, 0, 0, 0, 0xffff], [0x64, 0xff9b, 0, 0, 0, 0])
          .chain((prefix) => spellings([...prefix, v4 >>> 16, v4 & 0xffff], true, v4)),
      );
    fc.assert(
      fc.property(mappedOrNat64, (spelling) => {
        expect(isPrivateAddress(spelling)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe("security #3: a connection never gets an address that was not checked (property)", () => {
  const publicAnswer = fc
    .constantFrom(...PUBLIC_IPV4)
    .map((v4) => ({ address: octets(v4).join("."), family: 4 }));
  const specialAnswer = fc.oneof(
    specialIpv4.map((v4) => ({ address: octets(v4).join("."), family: 4 })),
    ipv6Around(specialIpv4).map((address) => ({ address, family: 6 })),
  );
  // What the connection's lookup hears: public addresses with a special one anywhere among them.
  const rebound = fc
    .tuple(fc.array(publicAnswer, { maxLength: 3 }), specialAnswer, fc.nat())
    .map(([publics, special, at]) => publics.toSpliced(at % (publics.length + 1), 0, special));

  it("refuses a public-then-special answer wherever the special address sits in it", async () => {
    await fc.assert(
      fc.asyncProperty(publicAnswer, rebound, async (checked, atConnect) => {
        const answers = [[checked], atConnect];
        let asked = 0;
        const resolveHost: ResolveHost = async () => answers[asked++] ?? [];
        await expect(
          postWebhook(
            { url: "http://hooks.leadfit.test/hook", headers: {}, body: "{}" },
            { allowPrivate: false, resolveHost, timeoutMs: 10_000 },
          ),
        ).rejects.toThrow(expect.objectContaining({ code: "private_webhook_target" }));
        expect(asked).toBe(2);
      }),
      { numRuns: 300 },
    );
  });
});
