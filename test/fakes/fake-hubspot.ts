// A local stand-in for HubSpot's APIs. Point `new Client({ accessToken, basePath: fake.url })` at
// it. It serves the documented request and response shapes of the endpoints Leadfit calls, from
// HubSpot's API reference (CRM v3 objects, CRM search, owners v3, account info v3, associations v4,
// properties v3, OAuth v1) and its usage guidelines:
//   POST  /crm/v3/objects/contacts/search      filterGroups (lastmodifieddate GT/GTE/LT/LTE/EQ),
//                                              one sort, properties, limit ≤ 200, paging `after`;
//                                              { total, results, paging.next.after }; `after` at or
//                                              past 10,000 results answers 400 as documented
//   POST  /crm/v3/objects/contacts/batch/read  { properties, inputs: [{ id }] } ≤ 100 inputs →
//                                              { status: "COMPLETE", results }; a merged-away id
//                                              answers the surviving record; ids not found are
//                                              listed in `errors` and the answer is 207
//   GET   /crm/v3/objects/contacts/{id}        ?properties=…; 404 for an unknown or archived id; a
//                                              merged-away id answers the surviving record
//   GET   /crm/v3/objects/contacts?archived=true  archived (deleted) contacts, paged with `after`
//   A contact deleted for privacy (`privacyDeleteContact`, as the GDPR delete in HubSpot's UI or
//   POST /crm/v3/objects/contacts/gdpr-delete does) is gone for good: no search, read or archive
//   listing shows it again and its deals lose the association; only the webhook tells of it.
//   PATCH /crm/v3/objects/contacts/{id}        { properties } → the record
//   GET   /crm/v3/owners                       { results: [{ id, email, firstName, lastName }] }
//   GET   /account-info/v3/details             { portalId, timeZone, companyCurrency, uiDomain }
// Deals, for outcomes (CRM v3 deals, CRM search, associations v4 references):
//   POST  /crm/v3/objects/deals/search         as for contacts, on hs_lastmodifieddate; deals carry
//                                              amount, closedate, createdate, dealstage, pipeline,
//                                              hs_is_closed, hs_is_closed_won ("true"/"false")
//   GET   /crm/v3/objects/deals?archived=true  archived (deleted) deals with archivedAt
//   POST  /crm/v3/objects/deals/batch/read     as for contacts
//   POST  /crm/v4/associations/deals/contacts/batch/read  { inputs: [{ id }] } ≤ 1,000 inputs
//                                              (developer changelog, February 2025; more → 400) →
//                                              { status, results: [{ from: { id }, to: [{ toObjectId,
//                                              associationTypes }] }] }; inputs without associations
//                                              are listed in `errors` and the answer is 207
//   A deal added, moved or archived recalculates its contacts' `num_associated_deals`, which moves
//   their lastmodifieddate as any property change does.
//   POST  /crm/v3/properties/contacts/groups, POST /crm/v3/properties/contacts  (409 when it exists)
// OAuth (OAuth quickstart guide; "Manage OAuth access tokens using the v1 APIs"):
//   GET   https://app.hubspot.com/oauth/authorize?client_id&scope&redirect_uri&state  — a browser
//         page, not served: `approve(url)` plays the super admin granting it and answers the
//         redirect back (`redirect_uri?code=…&state=…`); the code works once
//   POST  /oauth/v1/token  form-encoded, grant_type=authorization_code with client_id,
//         client_secret, redirect_uri (the one authorized) and code, or grant_type=refresh_token
//         → { token_type: "bearer", refresh_token, access_token, expires_in }; a bad one → 400
//         { status: "BAD_AUTH_CODE" | "BAD_CLIENT_ID" | "BAD_REDIRECT_URI" | …, message }
// Limits (usage guidelines): private apps 100 requests per rolling 10 seconds (190 on Professional
// and Enterprise: `perTenSeconds`), search 5 requests per second per token; over either → 429 with
// the documented error body and X-HubSpot-RateLimit-* headers. Faults on cue: `failNext`, and
// `expire` (401 EXPIRED_AUTHENTICATION for a token).

import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeHubSpotContact {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  archived: boolean;
  /** Set when merged into another contact: this id then answers with that one. */
  mergedInto?: string;
}

export interface FakeHubSpotDeal {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  contactIds: string[];
  archived?: boolean;
}

export interface FakeHubSpotFailure {
  status: number;
  body?: object;
  headers?: Record<string, string>;
  times?: number;
}

export interface FakeHubSpotCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  token: string | undefined;
  at: number;
}

export interface FakeHubSpotOptions {
  portalId?: number;
  /** The per-10-second limit of the account's tier (100; 190 for Professional and Enterprise). */
  perTenSeconds?: number;
  searchPerSecond?: number;
  /** Tokens accepted; any bearer token when left out. */
  tokens?: string[];
  /** Refresh tokens the OAuth token endpoint accepts. */
  refreshTokens?: string[];
  /** The public app whose authorization codes the token endpoint exchanges. */
  app?: { clientId: string; clientSecret: string };
}

export interface FakeHubSpot {
  url: string;
  portalId: number;
  calls(path?: string): FakeHubSpotCall[];
  /** Adds or changes a contact; its `lastmodifieddate` becomes `at` (default now). */
  upsertContact(
    id: string,
    properties: Record<string, string | null>,
    at?: Date,
  ): FakeHubSpotContact;
  contact(id: string): FakeHubSpotContact | undefined;
  archiveContact(id: string, at?: Date): void;
  /** Deletes a contact for privacy: permanently, not archived (see the note at the top). */
  privacyDeleteContact(id: string): void;
  /** Merges `mergedId` into `primaryId`, as HubSpot does: the primary lists it in hs_merged_object_ids. */
  mergeContacts(primaryId: string, mergedId: string, at?: Date): void;
  addOwner(owner: { id: string; email: string; firstName?: string; lastName?: string }): void;
  /** Adds or changes a deal; its `hs_lastmodifieddate` becomes `at` (default now). */
  upsertDeal(deal: Omit<FakeHubSpotDeal, "createdAt" | "updatedAt"> & { at?: Date }): void;
  archiveDeal(id: string, at?: Date): void;
  /** Property groups and properties created through the API. */
  propertyGroups(): string[];
  properties(): string[];
  /** The next `times` calls whose path starts with `pathPrefix` answer this failure. */
  failNext(pathPrefix: string, failure: FakeHubSpotFailure): void;
  /** Called after each search is answered (to change records between pages). */
  onSearch(hook: ((searchNumber: number) => void) | undefined): void;
  expire(token: string): void;
  /**
   * The admin grants the app on HubSpot's authorize page `authorizeUrl`: the URL HubSpot sends
   * the browser back to, with a code (or refuses, as HubSpot's page would, for a wrong client id).
   */
  approve(authorizeUrl: string): string;
  /** Access tokens issued by the token endpoint, newest last. */
  issuedAccessTokens(): string[];
  /**
   * Called once a contact's PATCH is applied, before HubSpot's answer is sent (which waits for
   * it): to stop Leadfit between the CRM's acceptance and its own record of it.
   */
  onContactWrite(hook: ((contactId: string) => Promise<void>) | undefined): void;
  close(): Promise<void>;
}

const MAX_SEARCH_LIMIT = 200;
const MAX_SEARCH_RESULTS = 10_000;
const DEFAULT_CONTACT_PROPERTIES = [
  "createdate",
  "email",
  "firstname",
  "hs_object_id",
  "lastmodifieddate",
  "lastname",
];

type Json = Record<string, unknown>;

const COMPARISONS: Record<string, <T extends number | string>(a: T, b: T) => boolean> = {
  EQ: (a, b) => a === b,
  GT: (a, b) => a > b,
  GTE: (a, b) => a >= b,
  LT: (a, b) => a < b,
  LTE: (a, b) => a <= b,
};

interface SearchableRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
}

/** The most inputs an associations batch read takes (developer changelog, February 2025). */
const MAX_ASSOCIATION_INPUTS = 1000;
/** Marks an answer to send as 207 Multi-Status (a batch with some inputs in error). */
const MULTI_STATUS = "__multiStatus";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: object,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(status));
  }
}

function hubspotError(
  status: number,
  category: string,
  message: string,
  extra: Json = {},
): HttpError {
  return new HttpError(status, {
    status: "error",
    message,
    correlationId: "00000000-0000-0000-0000-000000000000",
    category,
    ...extra,
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  if ((req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw hubspotError(400, "VALIDATION_ERROR", "Invalid input JSON");
  }
}

function record(
  contact: { id: string; properties: Json; createdAt: Date; updatedAt: Date },
  wanted: readonly string[],
) {
  const properties: Json = {};
  for (const name of wanted) properties[name] = contact.properties[name] ?? null;
  return {
    id: contact.id,
    properties,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
    archived: false,
  };
}

/** A rolling-window counter per key: HubSpot's limits are rolling, not fixed windows. */
class RollingLimit {
  private readonly seen = new Map<string, number[]>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}
  /** Counts a call; the calls left in the window, or -1 when over the limit. */
  take(key: string, now: number): number {
    const times = (this.seen.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length >= this.max) {
      this.seen.set(key, times);
      return -1;
    }
    times.push(now);
    this.seen.set(key, times);
    return this.max - times.length;
  }
}

export async function startFakeHubSpot(options: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
  const portalId = options.portalId ?? 4455667;
  const contacts = new Map<string, FakeHubSpotContact>();
  const deals = new Map<string, FakeHubSpotDeal>();
  const owners: Json[] = [];
  const groups: string[] = [];
  const props: string[] = [];
  const calls: FakeHubSpotCall[] = [];
  const failures: (FakeHubSpotFailure & { prefix: string; remaining: number })[] = [];
  const expired = new Set<string>();
  const tenSecondly = new RollingLimit(options.perTenSeconds ?? 100, 10_000);
  const searchLimit = new RollingLimit(options.searchPerSecond ?? 5, 1_000);
  let searchHook: ((n: number) => void) | undefined;
  let contactWriteHook: ((contactId: string) => Promise<void>) | undefined;
  let searches = 0;
  let refreshes = 0;
  const refreshTokensIssued = new Set(options.refreshTokens ?? []);

  const codes = new Map<string, { redirectUri: string }>();
  const issued: string[] = [];
  let grants = 0;

  function issueTokens(refreshToken: string): Json {
    const accessToken = `oauth-access-${++refreshes}`;
    options.tokens?.push(accessToken);
    issued.push(accessToken);
    return {
      token_type: "bearer",
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: 1800,
    };
  }

  /** OAuth v1 token endpoint: a code from `approve` or a known refresh token get tokens. */
  function oauthTokens(body: Json): Json {
    const refused = (status: string, message: string) => new HttpError(400, { status, message });
    if (body.grant_type === "refresh_token") {
      const refreshToken = String(body.refresh_token ?? "");
      if (!refreshTokensIssued.has(refreshToken))
        throw refused("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
      return issueTokens(refreshToken);
    }
    if (body.grant_type !== "authorization_code")
      throw refused("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token");
    if (
      !options.app ||
      body.client_id !== options.app.clientId ||
      body.client_secret !== options.app.clientSecret
    )
      throw refused("BAD_CLIENT_ID", "missing or unknown client_id or client_secret");
    const grant = codes.get(String(body.code ?? ""));
    if (!grant) throw refused("BAD_AUTH_CODE", "missing or unknown auth code");
    codes.delete(String(body.code));
    if (body.redirect_uri !== grant.redirectUri)
      throw refused("BAD_REDIRECT_URI", "redirect_uri does not match the authorization's");
    const refreshToken = `oauth-refresh-${issued.length + 1}`;
    refreshTokensIssued.add(refreshToken);
    return issueTokens(refreshToken);
  }

  function approve(authorizeUrl: string): string {
    const url = new URL(authorizeUrl);
    const param = (name: string) => url.searchParams.get(name) ?? "";
    if (url.origin !== "https://app.hubspot.com" || url.pathname !== "/oauth/authorize")
      throw new Error(`not HubSpot's authorize page: ${url.origin}${url.pathname}`);
    if (!options.app || param("client_id") !== options.app.clientId)
      throw new Error(`HubSpot's page refuses the unknown client_id ${param("client_id")}`);
    if (!param("scope").split(" ").includes("oauth"))
      throw new Error("HubSpot's page refuses scopes without `oauth`");
    const redirect = new URL(param("redirect_uri"));
    const code = `hubspot-code-${++grants}`;
    codes.set(code, { redirectUri: param("redirect_uri") });
    redirect.searchParams.set("code", code);
    if (url.searchParams.has("state")) redirect.searchParams.set("state", param("state"));
    return redirect.toString();
  }

  function contactFor(id: string): FakeHubSpotContact | undefined {
    let found = contacts.get(id);
    // A merged-away id resolves to the record it was merged into.
    for (let hops = 0; found?.mergedInto && hops < 10; hops++)
      found = contacts.get(found.mergedInto);
    return found && !found.archived ? found : undefined;
  }

  function liveDeal(id: string): FakeHubSpotDeal | undefined {
    const deal = deals.get(id);
    return deal && !deal.archived ? deal : undefined;
  }

  function wantedProperties(requested: unknown): string[] {
    return Array.isArray(requested) && requested.length > 0
      ? requested.map(String)
      : DEFAULT_CONTACT_PROPERTIES;
  }

  /** A search filter as a test of one record; its value is read once, not per record. */
  function filterOf(filter: Json, modified: string): (record: SearchableRecord) => boolean {
    const name = String(filter.propertyName);
    const operator = String(filter.operator);
    const value = String(filter.value ?? "");
    if (operator === "HAS_PROPERTY") return (r) => (r.properties[name] ?? null) !== null;
    if (operator === "NOT_HAS_PROPERTY") return (r) => (r.properties[name] ?? null) === null;
    const compare = COMPARISONS[operator];
    if (!compare) throw hubspotError(400, "VALIDATION_ERROR", `Unsupported operator ${operator}`);
    if (name === modified) {
      // The last-change property is compared as a time: epoch milliseconds or an ISO date.
      const at = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      return (r) => compare(r.updatedAt.getTime(), at);
    }
    return (r) => {
      const raw = r.properties[name];
      return raw !== undefined && raw !== null && compare(raw, value);
    };
  }

  /** CRM search over `records`, `modified` being the object's last-change property. */
  function search(records: SearchableRecord[], modified: string, body: Json): Json {
    const limit = Number(body.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw hubspotError(
        400,
        "VALIDATION_ERROR",
        `limit must be between 1 and ${MAX_SEARCH_LIMIT}`,
      );
    }
    const after = Number(body.after ?? 0);
    if (after + limit > MAX_SEARCH_RESULTS) {
      throw hubspotError(400, "VALIDATION_ERROR", "Cannot page beyond 10000 results");
    }
    const groupsOfFilters = (Array.isArray(body.filterGroups) ? body.filterGroups : []) as Json[];
    const groups = groupsOfFilters.map((g) =>
      ((g.filters ?? []) as Json[]).map((f) => filterOf(f, modified)),
    );
    const found = records.filter(
      (c) => groups.length === 0 || groups.some((tests) => tests.every((test) => test(c))),
    );
    const sort = (Array.isArray(body.sorts) ? body.sorts[0] : undefined) as Json | undefined;
    if (sort?.propertyName === modified) {
      const direction = sort.direction === "DESCENDING" ? -1 : 1;
      found.sort(
        (x, y) =>
          direction * (x.updatedAt.getTime() - y.updatedAt.getTime()) ||
          Number(x.id) - Number(y.id),
      );
    } else {
      found.sort((x, y) => Number(x.id) - Number(y.id));
    }
    const page = found.slice(after, after + limit);
    const next = after + limit < found.length ? { next: { after: String(after + limit) } } : {};
    return {
      total: found.length,
      results: page.map((c) => record(c, wantedProperties(body.properties))),
      ...(Object.keys(next).length > 0 ? { paging: next } : {}),
    };
  }

  /**
   * Contacts' `num_associated_deals`, recalculated when their deals change; like any property
   * change it moves the contact's last modified date.
   */
  function recountDeals(contactIds: readonly string[], at: Date): void {
    for (const id of new Set(contactIds)) {
      const contact = contacts.get(id);
      if (!contact) continue;
      const count = [...deals.values()].filter(
        (d) => !d.archived && d.contactIds.includes(id),
      ).length;
      contact.properties.num_associated_deals = String(count);
      contact.properties.lastmodifieddate = at.toISOString();
      contact.updatedAt = at;
    }
  }

  /** The deal endpoints (outcomes); undefined for any other path. */
  function dealRoute(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Json,
  ): Json | undefined {
    if (method === "POST" && path === "/crm/v3/objects/deals/search") {
      const live = [...deals.values()].filter((d) => !d.archived);
      return search(live, "hs_lastmodifieddate", body);
    }
    if (method === "GET" && path === "/crm/v3/objects/deals" && query.get("archived") === "true") {
      return archivedPage(
        [...deals.values()].filter((d) => d.archived),
        query,
      );
    }
    if (method === "POST" && path === "/crm/v4/associations/deals/contacts/batch/read") {
      const inputs = ((body.inputs ?? []) as Json[]).map((i) => String(i.id));
      if (inputs.length > MAX_ASSOCIATION_INPUTS) {
        throw hubspotError(
          400,
          "VALIDATION_ERROR",
          `The number of inputs exceeds the limit of ${MAX_ASSOCIATION_INPUTS}`,
        );
      }
      const results = inputs.flatMap((id) => {
        const deal = deals.get(id);
        // Associations follow a merge to the surviving contact, as HubSpot moves them.
        const to = [...new Set((deal?.contactIds ?? []).map((c) => contactFor(c)?.id ?? c))];
        return deal && !deal.archived && to.length > 0
          ? [
              {
                from: { id },
                to: to.map((contactId) => ({
                  toObjectId: Number(contactId),
                  associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 3, label: null }],
                })),
              },
            ]
          : [];
      });
      const missing = inputs.filter((id) => !results.some((r) => r.from.id === id));
      return {
        status: "COMPLETE",
        results,
        ...(missing.length > 0
          ? {
              numErrors: missing.length,
              errors: missing.map((id) => ({
                status: "error",
                category: "OBJECT_NOT_FOUND",
                subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
                message: `No deal is associated with contacts: ${id}`,
                context: { fromObjectId: [id] },
              })),
              [MULTI_STATUS]: true,
            }
          : {}),
        startedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      };
    }
    return undefined;
  }

  /** One page of archived records, with `archivedAt`, paged with `after`. */
  function archivedPage(archived: SearchableRecord[], query: URLSearchParams): Json {
    const after = Number(query.get("after") ?? 0);
    const limit = Math.min(Number(query.get("limit") ?? 10), 100);
    const sorted = [...archived].sort((x, y) => Number(x.id) - Number(y.id));
    const page = sorted.slice(after, after + limit).map((c) => ({
      ...record(c, ["hs_object_id"]),
      archived: true,
      archivedAt: c.updatedAt.toISOString(),
    }));
    return {
      results: page,
      ...(after + limit < sorted.length
        ? { paging: { next: { after: String(after + limit) } } }
        : {}),
    };
  }

  function route(method: string, path: string, query: URLSearchParams, body: Json): Json {
    if (method === "POST" && path === "/crm/v3/objects/contacts/search") {
      const live = [...contacts.values()].filter((c) => !c.archived && !c.mergedInto);
      return search(live, "lastmodifieddate", body);
    }
    const deal = dealRoute(method, path, query, body);
    if (deal) return deal;
    const batchRead = /^\/crm\/v3\/objects\/(contacts|deals)\/batch\/read$/.exec(path);
    if (method === "POST" && batchRead) {
      const inputs = ((body.inputs ?? []) as Json[]).map((i) => String(i.id));
      if (inputs.length > 100) throw hubspotError(400, "VALIDATION_ERROR", "at most 100 inputs");
      const wanted = wantedProperties(body.properties);
      const found: (SearchableRecord | undefined)[] = inputs.map((id) =>
        batchRead[1] === "contacts" ? contactFor(id) : liveDeal(id),
      );
      const missing = inputs.filter((_, index) => found[index] === undefined);
      return {
        status: "COMPLETE",
        results: found
          .filter((r): r is SearchableRecord => r !== undefined)
          .map((r) => record(r, wanted)),
        // Ids not found (deleted, or never there) are listed as errors, and the answer is 207.
        ...(missing.length > 0
          ? {
              numErrors: 1,
              errors: [
                {
                  status: "error",
                  category: "OBJECT_NOT_FOUND",
                  message: "Could not get some objects, they may be deleted or not exist.",
                  context: { ids: missing },
                },
              ],
              [MULTI_STATUS]: true,
            }
          : {}),
        startedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      };
    }
    if (
      method === "GET" &&
      path === "/crm/v3/objects/contacts" &&
      query.get("archived") === "true"
    ) {
      return archivedPage(
        [...contacts.values()].filter((c) => c.archived),
        query,
      );
    }
    const contactPath = path.match(/^\/crm\/v3\/objects\/contacts\/(\d+)$/);
    if (contactPath) {
      const contact = contactFor(contactPath[1] ?? "");
      if (!contact) throw hubspotError(404, "OBJECT_NOT_FOUND", "resource not found");
      if (method === "GET")
        return record(contact, wantedProperties(query.get("properties")?.split(",")));
      if (method === "PATCH") {
        const properties = (body.properties ?? {}) as Record<string, string>;
        for (const name of Object.keys(properties)) {
          if (!props.includes(name) && !DEFAULT_CONTACT_PROPERTIES.includes(name)) {
            throw hubspotError(
              400,
              "VALIDATION_ERROR",
              `Property values were not valid: ${name} does not exist`,
            );
          }
        }
        Object.assign(contact.properties, properties);
        contact.updatedAt = new Date();
        return record(contact, Object.keys(contact.properties));
      }
    }
    if (method === "GET" && path === "/crm/v3/owners") {
      const email = query.get("email");
      return { results: owners.filter((o) => !email || o.email === email) };
    }
    if (method === "GET" && path === "/account-info/v3/details") {
      return {
        portalId,
        timeZone: "US/Eastern",
        companyCurrency: "USD",
        utcOffset: "-05:00",
        uiDomain: "app.hubspot.com",
      };
    }
    if (method === "POST" && path === "/crm/v3/properties/contacts/groups") {
      const name = String(body.name);
      if (groups.includes(name))
        throw hubspotError(409, "OBJECT_ALREADY_EXISTS", `A group named '${name}' already exists`);
      groups.push(name);
      return { name, label: body.label, displayOrder: body.displayOrder ?? -1, archived: false };
    }
    if (method === "POST" && path === "/crm/v3/properties/contacts") {
      const name = String(body.name);
      if (props.includes(name))
        throw hubspotError(409, "OBJECT_ALREADY_EXISTS", `Property named '${name}' already exists`);
      if (!groups.includes(String(body.groupName)))
        throw hubspotError(
          400,
          "VALIDATION_ERROR",
          `group ${String(body.groupName)} does not exist`,
        );
      props.push(name);
      return {
        ...body,
        hidden: false,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      };
    }
    throw hubspotError(404, "NOT_FOUND", `No route for ${method} ${path}`);
  }

  function limitHeaders(
    max: number,
    remaining: number,
    intervalMs: number,
  ): Record<string, string> {
    return {
      "X-HubSpot-RateLimit-Max": String(max),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(remaining, 0)),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(intervalMs),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const token = req.headers.authorization?.replace(/^Bearer\s+/i, "");
    let headers: Record<string, string> = {};
    try {
      const body = ((await readJson(req)) ?? {}) as Json;
      calls.push({
        method,
        path: url.pathname,
        query: url.searchParams,
        body,
        token,
        at: Date.now(),
      });
      if (method === "POST" && url.pathname === "/oauth/v1/token") {
        const tokens = oauthTokens(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(tokens));
        return;
      }
      if (!token || (options.tokens && !options.tokens.includes(token))) {
        throw hubspotError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
      }
      if (expired.has(token)) {
        throw hubspotError(
          401,
          "EXPIRED_AUTHENTICATION",
          "The OAuth token used to make this call expired.",
        );
      }
      const failure = failures.find((f) => f.remaining > 0 && url.pathname.startsWith(f.prefix));
      if (failure) {
        failure.remaining -= 1;
        throw new HttpError(
          failure.status,
          failure.body ?? {
            status: "error",
            message: "internal error",
            category: "INTERNAL_ERROR",
          },
          failure.headers,
        );
      }
      const now = Date.now();
      const left = tenSecondly.take(token, now);
      headers = limitHeaders(tenSecondly.max, left, 10_000);
      if (left < 0) {
        throw new HttpError(
          429,
          {
            status: "error",
            message: "You have reached your ten_secondly_rolling limit.",
            errorType: "RATE_LIMIT",
            policyName: "TEN_SECONDLY_ROLLING",
          },
          headers,
        );
      }
      const isSearch = url.pathname.endsWith("/search");
      if (isSearch && searchLimit.take(token, now) < 0) {
        throw new HttpError(
          429,
          {
            status: "error",
            message: "You have reached your secondly limit.",
            errorType: "RATE_LIMIT",
            policyName: "SECONDLY",
          },
          headers,
        );
      }
      const { [MULTI_STATUS]: multiStatus, ...answer } = route(
        method,
        url.pathname,
        url.searchParams,
        body,
      );
      const written =
        method === "PATCH" && /^\/crm\/v3\/objects\/contacts\/\d+$/.test(url.pathname);
      if (written) await contactWriteHook?.(url.pathname.split("/").at(-1) ?? "");
      res.writeHead(multiStatus ? 207 : 200, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(answer));
      if (isSearch) searchHook?.(++searches);
    } catch (error) {
      const failure =
        error instanceof HttpError ? error : hubspotError(500, "INTERNAL_ERROR", String(error));
      res.writeHead(failure.status, {
        "content-type": "application/json",
        ...headers,
        ...failure.headers,
      });
      res.end(JSON.stringify(failure.body));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    portalId,
    calls: (path) => calls.filter((c) => path === undefined || c.path === path),
    upsertContact(id, properties, at = new Date()) {
      const existing = contacts.get(id);
      const contact: FakeHubSpotContact = existing ?? {
        id,
        properties: { createdate: at.toISOString(), hs_object_id: id },
        createdAt: at,
        updatedAt: at,
        archived: false,
      };
      Object.assign(contact.properties, properties);
      contact.updatedAt = at;
      contact.properties.lastmodifieddate = at.toISOString();
      contacts.set(id, contact);
      return contact;
    },
    contact: (id) => contacts.get(id),
    archiveContact(id, at = new Date()) {
      const contact = contacts.get(id);
      if (contact) Object.assign(contact, { archived: true, updatedAt: at });
    },
    privacyDeleteContact(id) {
      contacts.delete(id);
      for (const deal of deals.values())
        deal.contactIds = deal.contactIds.filter((contactId) => contactId !== id);
    },
    mergeContacts(primaryId, mergedId, at = new Date()) {
      const primary = contacts.get(primaryId);
      const merged = contacts.get(mergedId);
      if (!primary || !merged) throw new Error("merge: unknown contact");
      merged.mergedInto = primaryId;
      const before = primary.properties.hs_merged_object_ids;
      primary.properties.hs_merged_object_ids = before ? `${before};${mergedId}` : mergedId;
      primary.updatedAt = at;
      primary.properties.lastmodifieddate = at.toISOString();
    },
    addOwner: (owner) => owners.push({ archived: false, userId: Number(owner.id), ...owner }),
    upsertDeal({ at = new Date(), ...deal }) {
      const before = deals.get(deal.id)?.contactIds ?? [];
      const createdAt = deals.get(deal.id)?.createdAt ?? at;
      deals.set(deal.id, {
        ...deal,
        properties: {
          createdate: createdAt.toISOString(),
          hs_object_id: deal.id,
          ...deal.properties,
          hs_lastmodifieddate: at.toISOString(),
        },
        createdAt,
        updatedAt: at,
      });
      recountDeals([...before, ...deal.contactIds], at);
    },
    archiveDeal(id, at = new Date()) {
      const deal = deals.get(id);
      if (!deal) return;
      Object.assign(deal, { archived: true, updatedAt: at });
      recountDeals(deal.contactIds, at);
    },
    propertyGroups: () => [...groups],
    properties: () => [...props],
    failNext: (prefix, failure) =>
      failures.push({ ...failure, prefix, remaining: failure.times ?? 1 }),
    onSearch: (hook) => {
      searchHook = hook;
    },
    expire: (token) => expired.add(token),
    approve,
    issuedAccessTokens: () => [...issued],
    onContactWrite: (hook) => {
      contactWriteHook = hook;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

let lastEventId = 0;

/**
 * One CRM object event of a webhook delivery, shaped as HubSpot's Webhooks API reference
 * ("Webhook payloads") shows it; merge events add primaryObjectId, mergedObjectIds and
 * newObjectId (developer changelog, "New subscription types for webhooks"). A contact deleted for
 * privacy sends `contact.privacyDeletion` and also the ordinary `contact.deletion` (developer
 * changelog, "Webhooks now support privacy-compliant contact deletions").
 */
export function hubspotEvent(
  portalId: number,
  subscriptionType: string,
  objectId: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  lastEventId += 1;
  return {
    eventId: lastEventId,
    subscriptionId: 2_281_001,
    portalId,
    appId: 1_160_452,
    occurredAt: Date.now(),
    subscriptionType,
    attemptNumber: 0,
    objectId,
    changeSource: "CRM",
    changeFlag: subscriptionType.endsWith(".creation") ? "NEW" : undefined,
    ...extra,
  };
}

/**
 * POSTs `events` to `url` as HubSpot delivers a webhook (Webhooks API reference; "Validating
 * requests from HubSpot", v3): a JSON array, X-HubSpot-Request-Timestamp in milliseconds and
 * X-HubSpot-Signature-v3, the base64 HMAC SHA-256 keyed with the app's client secret of method +
 * URI + body + timestamp. `timestamp` and `signature` can be set to send what HubSpot would not,
 * and `events` given as a string is sent as it is (a body that is not JSON, say).
 */
export async function deliverHubSpotWebhook(
  url: string,
  events: readonly object[] | string,
  options: { secret: string; timestamp?: number; signature?: string },
): Promise<Response> {
  const body = typeof events === "string" ? events : JSON.stringify(events);
  const timestamp = String(options.timestamp ?? Date.now());
  const signature =
    options.signature ??
    createHmac("sha256", options.secret).update(`POST${url}${body}${timestamp}`).digest("base64");
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hubspot-request-timestamp": timestamp,
      "x-hubspot-signature-v3": signature,
      "x-hubspot-signature-version": "v1",
    },
    body,
  });
}
