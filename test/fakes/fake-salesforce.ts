// A local stand-in for a Salesforce org: its login server and its instance on one address. Point
// jsforce's `new Connection({ instanceUrl: fake.url, oauth2: { loginUrl: fake.url, … } })` at it.
// It serves the documented shapes of the REST API calls Leadfit makes (REST API Developer Guide,
// API version 62.0) and of the OAuth 2.0 token endpoint:
//   GET   /services/data/v62.0/query?q=<SOQL>     and /queryAll (also deleted rows, IsDeleted)
//         SELECT <fields> FROM Lead|Contact|Opportunity|Organization
//         [WHERE SystemModstamp > | >= <datetime> | <Field> IN ('…', …) [OR <Field> IN (…)]…]
//         [ORDER BY SystemModstamp, Id]
//         → { totalSize, done, nextRecordsUrl?, records: [{ attributes: { type, url }, … }] },
//         batches of 2,000 (or `Sforce-Query-Options: batchSize=n`, 200–2,000)
//   GET   /services/data/v62.0/query/<locator>    the next batch (`nextRecordsUrl`)
//   PATCH /services/data/v62.0/sobjects/Lead/<Id> → 204; an unknown field → 400 INVALID_FIELD; a value
//                                              outside a restricted picklist → 400
//                                              INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST (API Core Status Codes)
//   POST  /services/oauth2/token                   grant_type=refresh_token → { access_token,
//                                                  instance_url, id, token_type, issued_at, signature }
// OAuth 2.0 web server flow and JWT bearer flow (Salesforce Help: "OAuth 2.0 Web Server Flow for
// Web App Integration", "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"):
//   GET   /services/oauth2/authorize?response_type=code&client_id&redirect_uri&scope&state — the
//         login and consent page, not served: `approve(url)` plays the user allowing access and
//         answers the redirect back (`redirect_uri?code=…&state=…`); a code works once, 15 minutes
//   POST  /services/oauth2/token  grant_type=authorization_code with code, client_id,
//         client_secret, redirect_uri → the tokens above plus refresh_token; grant_type=
//         urn:ietf:params:oauth:grant-type:jwt-bearer with assertion: a JWT signed RS256 with the
//         key whose certificate the connected app holds, iss = consumer key, sub = a pre-authorized
//         username, aud = the login URL, exp no more than 3 minutes away → tokens without a
//         refresh token; refusals → 400 { error: invalid_grant | invalid_client_id |
//         redirect_uri_mismatch, error_description }
// Lead conversion and merges as the Object Reference describes them: a converted Lead keeps its Id
// with IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedOpportunityId (null when no
// opportunity was made) and ConvertedDate; a Lead merged away is deleted with MasterRecordId naming
// the survivor. Opportunity.ContactId is the primary contact set when it was created.
// A request URI longer than 16,384 bytes answers 414 (REST API Developer Guide, status codes).
// Times are written as Salesforce writes them: `2026-11-30T10:00:00.000+0000`. Every API call
// counts against the org's daily allocation, reported in `Sforce-Limit-Info: api-usage=n/limit`;
// past it, 403 REQUEST_LIMIT_EXCEEDED as documented. An expired session answers 401
// INVALID_SESSION_ID. Faults on cue: `failNext`.

import { verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const SALESFORCE_API_VERSION = "62.0";

export type SalesforceRecord = Record<string, string | number | boolean | null>;

export interface FakeSalesforceFailure {
  status: number;
  body?: unknown;
  times?: number;
}

export interface FakeSalesforceCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  token: string | undefined;
}

export interface FakeSalesforceOptions {
  /** The org's daily API request allocation. */
  dailyLimit?: number;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** The JWT bearer flow: the certificate's public key (PEM) and the pre-authorized users. */
  jwt?: { publicKey: string; usernames: string[] };
}

export interface FakeSalesforce {
  url: string;
  calls(path?: string): FakeSalesforceCall[];
  /** Adds or changes a record of `type`; SystemModstamp becomes `at` (default now). */
  upsert(type: string, record: SalesforceRecord & { Id: string }, at?: Date): SalesforceRecord;
  record(type: string, id: string): SalesforceRecord | undefined;
  /** A custom field an admin created (e.g. Leadfit_Verdict__c). */
  addField(type: string, name: string): void;
  /**
   * Makes a picklist restricted to `values` (Lead Status, say): an update with another value is
   * refused with INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, as an org with "Restrict picklist to the
   * values defined in the value set" does.
   */
  restrictPicklist(type: string, field: string, values: readonly string[]): void;
  delete(type: string, id: string, at?: Date): void;
  /** Merges Lead `mergedId` into `masterId`: the merged one is deleted, naming its master. */
  mergeLeads(masterId: string, mergedId: string, at?: Date): void;
  /** Converts a Lead into a Contact (and an Opportunity, when given), as Lead Convert does. */
  convertLead(
    leadId: string,
    into: { contactId: string; accountId: string; opportunityId?: string },
    at?: Date,
  ): void;
  /**
   * The user allows access on Salesforce's authorize page `authorizeUrl`: the URL Salesforce
   * sends the browser back to, with a code (a wrong client id or response type throws, as the
   * page would show an error instead).
   */
  approve(authorizeUrl: string): string;
  /** The access token now valid (after refreshes). */
  accessToken(): string;
  /** Ends the current session: the next call answers 401 INVALID_SESSION_ID. */
  expireSession(): void;
  apiUsage(): { used: number; limit: number };
  failNext(pathPrefix: string, failure: FakeSalesforceFailure): void;
  close(): Promise<void>;
}

const DEFAULT_BATCH = 2000;
const MAX_URI_BYTES = 16_384;

/** The standard fields of the objects Leadfit reads (Object Reference); custom ones via addField. */
const STANDARD_FIELDS: Record<string, readonly string[]> = {
  Lead: [
    "Id",
    "Email",
    "FirstName",
    "LastName",
    "Company",
    "Title",
    "CreatedDate",
    "OwnerId",
    "LeadSource",
    "NumberOfEmployees",
    "Industry",
    "Country",
    "State",
    "AnnualRevenue",
    "Status",
    "IsDeleted",
    "SystemModstamp",
    "IsConverted",
    "ConvertedDate",
    "ConvertedOpportunityId",
    "ConvertedContactId",
    "ConvertedAccountId",
    "MasterRecordId",
  ],
  Opportunity: [
    "Id",
    "Name",
    "StageName",
    "IsClosed",
    "IsWon",
    "Amount",
    "CloseDate",
    "CreatedDate",
    "ContactId",
    "AccountId",
    "IsDeleted",
    "SystemModstamp",
  ],
  User: ["Id", "Email", "Name", "IsDeleted", "SystemModstamp", "CreatedDate"],
  Organization: ["Id", "Name", "IsDeleted", "SystemModstamp", "CreatedDate"],
};

/** Salesforce's dateTime form: milliseconds and an offset without a colon. */
export function salesforceTime(at: Date): string {
  return at.toISOString().replace("Z", "+0000");
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(String(status));
  }
}

const apiError = (status: number, errorCode: string, message: string) =>
  new HttpError(status, [{ message, errorCode }]);

interface Query {
  fields: string[];
  type: string;
  since?: { op: ">" | ">="; at: number };
  /** `<Field> IN (…)` clauses joined by OR: a row matching any of them. */
  among?: { field: string; values: string[] }[];
}

function parseSoql(soql: string): Query {
  const m = soql.match(
    /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+SystemModstamp(?:\s+ASC)?(?:\s*,\s*Id(?:\s+ASC)?)?)?(?:\s+LIMIT\s+\d+)?$/i,
  );
  if (!m) throw apiError(400, "MALFORMED_QUERY", `unexpected token in: ${soql}`);
  const query: Query = { fields: (m[1] ?? "").split(",").map((f) => f.trim()), type: m[2] ?? "" };
  const where = m[3];
  if (where) {
    const since = where.match(/^SystemModstamp\s*(>=|>)\s*(\S+)$/i);
    const among = where
      .split(/\s+OR\s+/i)
      .map((clause) => clause.match(/^(\w+)\s+IN\s*\(([^)]*)\)$/i));
    if (since) query.since = { op: since[1] as ">" | ">=", at: Date.parse(since[2] ?? "") };
    else if (among.every((m) => m !== null))
      query.among = among.map((m) => ({
        field: m?.[1] ?? "",
        values: [...(m?.[2] ?? "").matchAll(/'([^']*)'/g)].map((x) => x[1] ?? ""),
      }));
    else throw apiError(400, "MALFORMED_QUERY", `unsupported WHERE: ${where}`);
    if (query.since && Number.isNaN(query.since.at))
      throw apiError(400, "MALFORMED_QUERY", `bad dateTime in: ${where}`);
  }
  return query;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  if ((req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text);
}

export async function startFakeSalesforce(
  options: FakeSalesforceOptions = {},
): Promise<FakeSalesforce> {
  const objects = new Map<string, Map<string, SalesforceRecord & { _modstamp: number }>>();
  const cursors = new Map<string, { rows: SalesforceRecord[]; batch: number }>();
  const calls: FakeSalesforceCall[] = [];
  const failures: (FakeSalesforceFailure & { prefix: string; remaining: number })[] = [];
  const limit = options.dailyLimit ?? 15_000;
  let used = 0;
  let token = options.accessToken ?? "00Dfake!session-1";
  let sessions = 1;
  let nextLocator = 1;
  let url = "";

  const customFields = new Map<string, Set<string>>();
  const picklists = new Map<string, ReadonlySet<string>>();
  const known = (type: string) =>
    new Set([...(STANDARD_FIELDS[type] ?? ["Id"]), ...(customFields.get(type) ?? [])]);

  const table = (type: string) => {
    const found = objects.get(type) ?? new Map();
    objects.set(type, found);
    return found;
  };

  function shape(
    type: string,
    row: SalesforceRecord,
    fields: readonly string[],
  ): SalesforceRecord & {
    attributes: object;
  } {
    const out: SalesforceRecord = {};
    for (const field of fields) {
      if (!known(type).has(field))
        throw apiError(400, "INVALID_FIELD", `No such column '${field}' on entity '${type}'.`);
      out[field] = row[field] ?? null;
    }
    return {
      attributes: {
        type,
        url: `/services/data/v${SALESFORCE_API_VERSION}/sobjects/${type}/${row.Id}`,
      },
      ...out,
    } as SalesforceRecord & { attributes: object };
  }

  function batchOf(locator: string, rows: SalesforceRecord[], batch: number, start: number) {
    const page = rows.slice(start, start + batch);
    const done = start + batch >= rows.length;
    if (!done) cursors.set(`${locator}-${start + batch}`, { rows, batch });
    return {
      totalSize: rows.length,
      done,
      ...(done
        ? {}
        : {
            nextRecordsUrl: `/services/data/v${SALESFORCE_API_VERSION}/query/${locator}-${start + batch}`,
          }),
      records: page,
    };
  }

  function query(soql: string, includeDeleted: boolean, batchHeader: string | undefined) {
    const q = parseSoql(soql);
    const rows = [...table(q.type).values()]
      .filter((r) => includeDeleted || r.IsDeleted !== true)
      .filter((r) => !q.among || q.among.some((c) => c.values.includes(String(r[c.field]))))
      .filter(
        (r) =>
          !q.since || (q.since.op === ">" ? r._modstamp > q.since.at : r._modstamp >= q.since.at),
      )
      .sort((a, b) => a._modstamp - b._modstamp || String(a.Id).localeCompare(String(b.Id)))
      .map((r) => shape(q.type, r, q.fields));
    const requested = Number(batchHeader?.match(/batchSize=(\d+)/)?.[1] ?? DEFAULT_BATCH);
    const batch = Math.min(Math.max(requested, 200), DEFAULT_BATCH);
    return batchOf(`01gFAKE${nextLocator++}`, rows, batch, 0);
  }

  function route(
    req: IncomingMessage,
    path: string,
    params: URLSearchParams,
    body: unknown,
  ): unknown {
    const base = `/services/data/v${SALESFORCE_API_VERSION}`;
    if (req.method === "GET" && (path === `${base}/query` || path === `${base}/queryAll`)) {
      return query(
        params.get("q") ?? "",
        path.endsWith("queryAll"),
        req.headers["sforce-query-options"] as string | undefined,
      );
    }
    const more = path.match(/^\/services\/data\/v[\d.]+\/query\/(01gFAKE\d+)-(\d+)$/);
    if (req.method === "GET" && more) {
      const cursor = cursors.get(`${more[1]}-${more[2]}`);
      if (!cursor) throw apiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
      return batchOf(more[1] ?? "", cursor.rows, cursor.batch, Number(more[2]));
    }
    const sobject = path.match(/^\/services\/data\/v[\d.]+\/sobjects\/(\w+)\/(\w+)$/);
    if (req.method === "PATCH" && sobject) {
      const row = table(sobject[1] ?? "").get(sobject[2] ?? "");
      if (!row || row.IsDeleted === true)
        throw apiError(404, "NOT_FOUND", "The requested resource does not exist");
      for (const field of Object.keys((body ?? {}) as object)) {
        if (!known(sobject[1] ?? "").has(field))
          throw apiError(
            400,
            "INVALID_FIELD",
            `No such column '${field}' on sobject of type ${sobject[1]}`,
          );
        const allowed = picklists.get(`${sobject[1]}.${field}`);
        const value = (body as Record<string, unknown>)[field];
        if (allowed && !allowed.has(String(value)))
          throw apiError(
            400,
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            `${field}: bad value for restricted picklist field: ${String(value)}`,
          );
      }
      Object.assign(row, body, {
        _modstamp: Date.now(),
        SystemModstamp: salesforceTime(new Date()),
      });
      return undefined;
    }
    throw apiError(404, "NOT_FOUND", `The requested resource does not exist: ${path}`);
  }

  const refreshTokens = new Set(options.refreshToken ? [options.refreshToken] : []);
  const codes = new Map<string, { redirectUri: string; expiresAt: number }>();
  let grants = 0;
  const CODE_LIFETIME_MS = 15 * 60_000;
  const JWT_MAX_LIFETIME_S = 180;

  const refused = (error: string, description: string) =>
    new HttpError(400, { error, error_description: description });

  function checkClient(body: Record<string, string>, secretToo: boolean): void {
    if (
      body.client_id !== options.clientId ||
      (secretToo && body.client_secret !== options.clientSecret)
    )
      throw refused("invalid_client_id", "client identifier invalid");
  }

  function session(extra: Record<string, string> = {}): unknown {
    token = `00Dfake!session-${++sessions}`;
    return {
      access_token: token,
      instance_url: url,
      id: `${url}/id/00Dfake/005fake`,
      token_type: "Bearer",
      issued_at: String(Date.now()),
      signature: "c2lnbmF0dXJl",
      scope: "api refresh_token",
      ...extra,
    };
  }

  function refresh(body: Record<string, string>): unknown {
    if (!refreshTokens.has(body.refresh_token ?? ""))
      throw refused("invalid_grant", "expired access/refresh token");
    if (options.clientId) checkClient(body, true);
    return session();
  }

  function authorizationCode(body: Record<string, string>): unknown {
    checkClient(body, true);
    const grant = codes.get(body.code ?? "");
    codes.delete(body.code ?? "");
    if (!grant || grant.expiresAt < Date.now())
      throw refused("invalid_grant", "invalid authorization code");
    if (body.redirect_uri !== grant.redirectUri)
      throw refused("redirect_uri_mismatch", "redirect_uri must match configuration");
    const refreshToken = `5Aep-refresh-${sessions + 1}`;
    refreshTokens.add(refreshToken);
    return session({ refresh_token: refreshToken });
  }

  function jwtBearer(body: Record<string, string>): unknown {
    const [header = "", claims = "", signature = ""] = (body.assertion ?? "").split(".");
    const decode = (part: string): Record<string, unknown> => {
      try {
        return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
      } catch {
        throw refused("invalid_grant", "invalid assertion");
      }
    };
    const signed =
      options.jwt !== undefined &&
      decode(header).alg === "RS256" &&
      verify(
        "sha256",
        Buffer.from(`${header}.${claims}`),
        options.jwt.publicKey,
        Buffer.from(signature, "base64url"),
      );
    if (!signed) throw refused("invalid_grant", "invalid assertion");
    const jwt = decode(claims);
    if (jwt.iss !== options.clientId)
      throw refused("invalid_client_id", "client identifier invalid");
    if (jwt.aud !== url) throw refused("invalid_grant", "audience is invalid");
    const nowS = Date.now() / 1000;
    if (typeof jwt.exp !== "number" || jwt.exp < nowS || jwt.exp > nowS + JWT_MAX_LIFETIME_S + 5)
      throw refused("invalid_grant", "expired authorization code");
    if (!options.jwt?.usernames.includes(String(jwt.sub)))
      throw refused("invalid_grant", "user hasn't approved this consumer");
    return session({ scope: "api" });
  }

  function oauthToken(body: Record<string, string>): unknown {
    if (body.grant_type === "refresh_token") return refresh(body);
    if (body.grant_type === "authorization_code") return authorizationCode(body);
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:jwt-bearer") return jwtBearer(body);
    throw refused("unsupported_grant_type", "grant type not supported");
  }

  function approve(authorizeUrl: string): string {
    const asked = new URL(authorizeUrl);
    const param = (name: string) => asked.searchParams.get(name) ?? "";
    if (`${asked.origin}${asked.pathname}` !== `${url}/services/oauth2/authorize`)
      throw new Error(`not this org's authorize page: ${asked.origin}${asked.pathname}`);
    if (param("response_type") !== "code" || param("client_id") !== options.clientId)
      throw new Error("the authorize page refuses: wrong response_type or client_id");
    const code = `aPrx-code-${++grants}`;
    codes.set(code, {
      redirectUri: param("redirect_uri"),
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    const back = new URL(param("redirect_uri"));
    back.searchParams.set("code", code);
    if (asked.searchParams.has("state")) back.searchParams.set("state", param("state"));
    return back.toString();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? "/", "http://fake");
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, "");
    try {
      const body = await readBody(req);
      calls.push({
        method: req.method ?? "GET",
        path: parsed.pathname,
        query: parsed.searchParams,
        body,
        token: bearer,
      });
      if (req.method === "POST" && parsed.pathname === "/services/oauth2/token") {
        const answer = oauthToken((body ?? {}) as Record<string, string>);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
        return;
      }
      if (Buffer.byteLength(req.url ?? "") > MAX_URI_BYTES)
        throw apiError(414, "URI_TOO_LONG", `The URI exceeds the ${MAX_URI_BYTES} byte limit.`);
      if (bearer !== token) throw apiError(401, "INVALID_SESSION_ID", "Session expired or invalid");
      const failure = failures.find((f) => f.remaining > 0 && parsed.pathname.startsWith(f.prefix));
      if (failure) {
        failure.remaining -= 1;
        throw new HttpError(
          failure.status,
          failure.body ?? [{ message: "Internal error", errorCode: "UNKNOWN_EXCEPTION" }],
        );
      }
      if (used >= limit)
        throw apiError(403, "REQUEST_LIMIT_EXCEEDED", `TotalRequests Limit exceeded.`);
      used += 1;
      const answer = route(req, parsed.pathname, parsed.searchParams, body);
      const headers = { "Sforce-Limit-Info": `api-usage=${used}/${limit}` };
      if (answer === undefined) {
        res.writeHead(204, headers);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json;charset=UTF-8", ...headers });
        res.end(JSON.stringify(answer));
      }
    } catch (error) {
      const failure =
        error instanceof HttpError
          ? error
          : new HttpError(500, [{ message: String(error), errorCode: "UNKNOWN_EXCEPTION" }]);
      res.writeHead(failure.status, {
        "content-type": "application/json;charset=UTF-8",
        "Sforce-Limit-Info": `api-usage=${used}/${limit}`,
      });
      res.end(JSON.stringify(failure.body));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls: (path) => calls.filter((c) => path === undefined || c.path.startsWith(path)),
    upsert(type, record, at = new Date()) {
      const rows = table(type);
      const existing = rows.get(record.Id);
      const row = {
        IsDeleted: false,
        CreatedDate: salesforceTime(at),
        ...existing,
        ...record,
        SystemModstamp: salesforceTime(at),
        _modstamp: at.getTime(),
      };
      rows.set(record.Id, row);
      return row;
    },
    record: (type, id) => table(type).get(id),
    addField(type, name) {
      customFields.set(type, new Set([...(customFields.get(type) ?? []), name]));
    },
    delete(type, id, at = new Date()) {
      const row = table(type).get(id);
      if (row)
        Object.assign(row, {
          IsDeleted: true,
          SystemModstamp: salesforceTime(at),
          _modstamp: at.getTime(),
        });
    },
    mergeLeads(masterId, mergedId, at = new Date()) {
      const master = table("Lead").get(masterId);
      const merged = table("Lead").get(mergedId);
      if (!master || !merged) throw new Error("merge: unknown lead");
      const stamp = { SystemModstamp: salesforceTime(at), _modstamp: at.getTime() };
      Object.assign(merged, { IsDeleted: true, MasterRecordId: masterId, ...stamp });
      Object.assign(master, stamp);
    },
    convertLead(leadId, into, at = new Date()) {
      const lead = table("Lead").get(leadId);
      if (!lead) throw new Error("convert: unknown lead");
      Object.assign(lead, {
        IsConverted: true,
        ConvertedDate: salesforceTime(at).slice(0, 10),
        ConvertedContactId: into.contactId,
        ConvertedAccountId: into.accountId,
        ConvertedOpportunityId: into.opportunityId ?? null,
        SystemModstamp: salesforceTime(at),
        _modstamp: at.getTime(),
      });
    },
    approve,
    accessToken: () => token,
    expireSession() {
      token = `00Dfake!expired-${sessions}`;
    },
    apiUsage: () => ({ used, limit }),
    restrictPicklist: (type, field, values) => picklists.set(`${type}.${field}`, new Set(values)),
    failNext: (prefix, failure) =>
      failures.push({ ...failure, prefix, remaining: failure.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
