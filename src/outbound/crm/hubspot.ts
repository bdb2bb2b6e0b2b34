import { Client } from "@hubspot/api-client";
import { z } from "zod";
import type { OAuthApp } from "../../config.ts";
import { crmError, parseCrmAnswer } from "./crm-error.ts";
import { Pace, realClock } from "./pace.ts";

const CRM = "HubSpot";

/** HubSpot's documented limits for a private app (usage guidelines): the lowest tier by default. */
export const HUBSPOT_LIMITS = { perTenSeconds: 100, searchPerSecond: 5 };
/**
 * Calls are spaced 5 % wider than the limit allows: HubSpot counts them when they arrive, and the
 * network does not keep Leadfit's spacing exactly.
 */
const PACE_MARGIN = 1.05;

/** The most a CRM search page holds (CRM search reference). */
export const HUBSPOT_SEARCH_PAGE = 200;
/** The most ids one batch read of records takes (CRM v3 objects reference). */
export const HUBSPOT_BATCH_READ = 100;
/** The most ids one associations batch read takes (developer changelog, February 2025). */
const HUBSPOT_ASSOCIATIONS_BATCH = 1000;

export type HubSpotObject = "contacts" | "deals";

/** The property holding a record's last change, which CRM search filters and sorts on. */
export const HUBSPOT_MODIFIED_PROPERTY: Record<HubSpotObject, string> = {
  contacts: "lastmodifieddate",
  deals: "hs_lastmodifieddate",
};

const hubspotRecordSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  archived: z.boolean().optional(),
});
export type HubSpotRecord = z.infer<typeof hubspotRecordSchema>;

const pagingSchema = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

const searchSchema = z.object({
  total: z.number().int(),
  results: z.array(hubspotRecordSchema),
  paging: pagingSchema,
});

const batchSchema = z.object({ results: z.array(hubspotRecordSchema) });

const archivedSchema = z.object({
  results: z.array(
    z.object({ id: z.string(), archivedAt: z.iso.datetime({ offset: true }).optional() }),
  ),
  paging: pagingSchema,
});

const ownersSchema = z.object({
  results: z.array(z.object({ id: z.string(), email: z.string().nullable().optional() })),
  paging: pagingSchema,
});

const accountSchema = z.object({ portalId: z.number().int() });

/** HTTP 207 with `errors` lists the deals without associations; only `results` matters. */
const associationsSchema = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: z.string() }),
      to: z.array(z.object({ toObjectId: z.union([z.number(), z.string()]).transform(String) })),
    }),
  ),
});

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
});

const errorBodySchema = z
  .object({ message: z.string().optional(), category: z.string().optional() })
  .loose();

export interface HubSpotOptions {
  apiUrl: string;
  accessToken: string;
  /** OAuth installs: renews an expired access token and reports the new pair. */
  refresh?: {
    refreshToken: string;
    app: OAuthApp;
    onRefreshed(tokens: { accessToken: string; refreshToken: string }): Promise<void>;
  };
  limits?: { perTenSeconds: number; searchPerSecond: number };
  /** Tries after a 429 or 5xx before giving up, waiting backoffMs, then twice that, … */
  retries?: number;
  backoffMs?: number;
  clock?: typeof realClock;
}

interface Call {
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: object;
  qs?: Record<string, string>;
  search?: boolean;
  /** Answers that count as done: 409 when creating what already exists. */
  alsoFine?: number[];
}

/**
 * HubSpot's API through its own client (`@hubspot/api-client`, pointed at `apiUrl`): calls paced
 * under the documented limits, 429 and 5xx retried with backoff, an expired OAuth token renewed
 * once, and every answer checked with zod before Leadfit reads it.
 */
export class HubSpotCrm {
  private readonly client: Client;
  private readonly pace: Pace;
  private readonly searchPace: Pace;
  private readonly clock: typeof realClock;
  private refreshToken: string | undefined;

  constructor(private readonly options: HubSpotOptions) {
    this.client = new Client({ accessToken: options.accessToken, basePath: options.apiUrl });
    this.clock = options.clock ?? realClock;
    const limits = options.limits ?? HUBSPOT_LIMITS;
    this.pace = new Pace((10_000 / limits.perTenSeconds) * PACE_MARGIN, this.clock);
    this.searchPace = new Pace((1_000 / limits.searchPerSecond) * PACE_MARGIN, this.clock);
    this.refreshToken = options.refresh?.refreshToken;
  }

  /** The portal the token opens, to recognise the connection. */
  async portalId(): Promise<number> {
    return (await this.call(accountSchema, { method: "GET", path: "/account-info/v3/details" }))
      .portalId;
  }

  /**
   * One page of the records of `object` modified at or after `modifiedSince`, oldest change first;
   * `offset` pages within one query (HubSpot's `after`).
   */
  async searchChanged(
    object: HubSpotObject,
    input: { modifiedSince: Date; properties: readonly string[]; offset?: number; limit?: number },
  ): Promise<{ records: HubSpotRecord[]; total: number; more: boolean }> {
    const modified = HUBSPOT_MODIFIED_PROPERTY[object];
    const answer = await this.call(searchSchema, {
      method: "POST",
      path: `/crm/v3/objects/${object}/search`,
      search: true,
      body: {
        filterGroups: [
          {
            filters: [
              {
                propertyName: modified,
                operator: "GTE",
                value: String(input.modifiedSince.getTime()),
              },
            ],
          },
        ],
        sorts: [{ propertyName: modified, direction: "ASCENDING" }],
        properties: input.properties,
        limit: input.limit ?? HUBSPOT_SEARCH_PAGE,
        ...(input.offset ? { after: String(input.offset) } : {}),
      },
    });
    return {
      records: answer.results,
      total: answer.total,
      more: answer.paging?.next !== undefined,
    };
  }

  /**
   * Records of `object` by id (batch read, at most HUBSPOT_BATCH_READ ids), e.g. those a webhook
   * named; merged contacts' ids answer their survivor, deleted ones nothing.
   */
  async read(
    object: HubSpotObject,
    ids: readonly string[],
    properties: readonly string[],
  ): Promise<HubSpotRecord[]> {
    if (ids.length === 0) return [];
    const answer = await this.call(batchSchema, {
      method: "POST",
      path: `/crm/v3/objects/${object}/batch/read`,
      body: { properties, inputs: ids.map((id) => ({ id })) },
    });
    return answer.results;
  }

  /** Archived (deleted) records of `object` with when they were archived, all pages. */
  async archived(object: HubSpotObject): Promise<{ id: string; archivedAt: Date | null }[]> {
    const found: { id: string; archivedAt: Date | null }[] = [];
    let after: string | undefined;
    do {
      const page = await this.call(archivedSchema, {
        method: "GET",
        path: `/crm/v3/objects/${object}`,
        qs: { archived: "true", limit: "100", ...(after ? { after } : {}) },
      });
      for (const r of page.results)
        found.push({ id: r.id, archivedAt: r.archivedAt ? new Date(r.archivedAt) : null });
      after = page.paging?.next?.after;
    } while (after);
    return found;
  }

  /** Owner id → email, for owners → Slack users by email. */
  async ownerEmails(): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    let after: string | undefined;
    do {
      const page = await this.call(ownersSchema, {
        method: "GET",
        path: "/crm/v3/owners",
        qs: { limit: "100", ...(after ? { after } : {}) },
      });
      for (const owner of page.results) if (owner.email) owners.set(owner.id, owner.email);
      after = page.paging?.next?.after;
    } while (after);
    return owners;
  }

  /**
   * The contacts associated with each deal (associations v4 batch read, at most 1,000 deals a
   * call); a deal without any is absent. The first page of each deal's contacts is enough: a deal
   * goes to the earliest of its contacts that is a lead.
   */
  async contactsOfDeals(dealIds: readonly string[]): Promise<Map<string, string[]>> {
    const contacts = new Map<string, string[]>();
    for (let i = 0; i < dealIds.length; i += HUBSPOT_ASSOCIATIONS_BATCH) {
      const answer = await this.call(associationsSchema, {
        method: "POST",
        path: "/crm/v4/associations/deals/contacts/batch/read",
        body: {
          inputs: dealIds.slice(i, i + HUBSPOT_ASSOCIATIONS_BATCH).map((id) => ({ id })),
        },
      });
      for (const result of answer.results)
        contacts.set(
          result.from.id,
          result.to.map((t) => t.toObjectId),
        );
    }
    return contacts;
  }

  /**
   * Creates Leadfit's contact property group and its properties, each only when missing (HubSpot
   * answers 409 for one that exists): needs the `crm.schemas.contacts.write` scope.
   */
  async ensureProperties(
    group: { name: string; label: string; displayOrder: number },
    properties: readonly { name: string }[],
  ): Promise<void> {
    const base = "/crm/v3/properties/contacts";
    await this.call(z.unknown(), {
      method: "POST",
      path: `${base}/groups`,
      body: group,
      alsoFine: [409],
    });
    for (const property of properties) {
      await this.call(z.unknown(), { method: "POST", path: base, body: property, alsoFine: [409] });
    }
  }

  /** Sets properties of one contact (needs `crm.objects.contacts.write`); the same values twice change nothing. */
  async updateContact(id: string, properties: Record<string, string>): Promise<void> {
    await this.call(z.object({ id: z.string() }).loose(), {
      method: "PATCH",
      path: `/crm/v3/objects/contacts/${encodeURIComponent(id)}`,
      body: { properties },
    });
  }

  private async call<S extends z.ZodType>(schema: S, call: Call): Promise<z.infer<S>> {
    const retries = this.options.retries ?? 5;
    const backoffMs = this.options.backoffMs ?? 1_000;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      await this.pace.turn();
      if (call.search) await this.searchPace.turn();
      let response: Response;
      try {
        response = await this.client.apiRequest({
          method: call.method,
          path: call.path,
          ...(call.body ? { body: call.body } : {}),
          ...(call.qs ? { qs: call.qs } : {}),
        });
      } catch (error) {
        if (attempt >= retries)
          throw crmError("crm_unavailable", CRM, `${call.path}: ${String(error)}`, {
            cause: error,
          });
        await this.clock.sleep(backoffMs * 2 ** attempt);
        continue;
      }
      if (response.ok || call.alsoFine?.includes(response.status))
        return parseCrmAnswer(CRM, call.path, schema, await response.json());
      const body = errorBodySchema.safeParse(await response.json().catch(() => ({})));
      const detail = `${call.method} ${call.path} answered ${response.status}${body.success && body.data.message ? `: ${body.data.message}` : ""}`;
      if (response.status === 401) {
        if (!refreshed && this.options.refresh && this.refreshToken) {
          refreshed = true;
          await this.renewToken();
          attempt -= 1;
          continue;
        }
        throw crmError("crm_unauthorized", CRM, detail);
      }
      if (response.status === 429 || response.status >= 500) {
        if (attempt >= retries) throw crmError("crm_unavailable", CRM, detail);
        const retryAfter = Number(response.headers.get("retry-after"));
        const wait =
          Number.isFinite(retryAfter) && retryAfter > 0
            ? retryAfter * 1000
            : backoffMs * 2 ** attempt;
        this.pace.holdFor(wait);
        continue;
      }
      throw crmError("crm_refused", CRM, detail);
    }
  }

  private async renewToken(): Promise<void> {
    const refresh = this.options.refresh;
    if (!refresh || !this.refreshToken) return;
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: refresh.app.clientId,
      client_secret: refresh.app.clientSecret,
      refresh_token: this.refreshToken,
    });
    const response = await this.client.apiRequest({
      method: "POST",
      path: "/oauth/v1/token",
      defaultJson: false,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    if (!response.ok)
      throw crmError("crm_unauthorized", CRM, `token refresh answered ${response.status}`);
    const tokens = parseCrmAnswer(CRM, "/oauth/v1/token", tokenSchema, await response.json());
    this.refreshToken = tokens.refresh_token ?? this.refreshToken;
    this.client.setAccessToken(tokens.access_token);
    await refresh.onRefreshed({
      accessToken: tokens.access_token,
      refreshToken: this.refreshToken,
    });
  }
}
