import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Deps } from "../../../deps.ts";
import { AppError } from "../../../domain/app-error.ts";
import {
  batchIssues,
  campaignInputSchema,
  isoTime,
  leadInputSchema,
  MAX_BATCH,
  metricValueInputSchema,
  outcomeInputSchema,
  type UpsertCounts,
} from "../../../domain/ingest-schemas.ts";
import { metricDefinitionSchema } from "../../../domain/metrics.ts";
import { isStorableYear, UNSTORABLE_YEAR } from "../../../domain/storable.ts";
import { reasonSchema } from "../../../domain/taxonomy.ts";
import { authenticateApiKey } from "../../../services/api-keys.ts";
import { buildHindsight } from "../../../services/build-hindsight.ts";
import { ingestLeads } from "../../../services/ingest-leads.ts";
import { ingestMetrics } from "../../../services/ingest-metrics.ts";
import { leadWithVerdicts } from "../../../services/lead-with-verdicts.ts";
import { defineMetrics } from "../../../services/metric-catalogue.ts";
import { defineReasons, listReasons } from "../../../services/reason-catalogue.ts";
import { recordOutcomes } from "../../../services/record-outcomes.ts";
import { upsertCampaigns } from "../../../services/upsert-campaigns.ts";
import { verdictFeed } from "../../../services/verdict-feed.ts";
import { workspaceOfKey } from "../../../services/workspace-of-key.ts";
import { MAX_LISTED_ISSUES, type Route, sendJson } from "../router.ts";
import { BadKeyThrottle } from "./bad-key-throttle.ts";
import { readJson } from "./body.ts";
import { sendApiError } from "./errors.ts";

type ApiHandler = (ctx: {
  workspaceId: string;
  req: IncomingMessage;
  params: Record<string, string>;
}) => Promise<unknown>;

function invalid(
  message: string,
  issues: { index: number; field: string; message: string }[] = [],
  totalIssues = issues.length,
): AppError {
  return new AppError("invalid_request", message, message, { issues, totalIssues });
}

/** `{ "<name>": [ … ] }` with 1 to MAX_BATCH items, each parsed by `schema`; the whole batch or nothing. */
async function readBatch<T>(
  req: IncomingMessage,
  name: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const body = await readJson(req);
  const envelope = z.object({ [name]: z.array(z.unknown()) }).safeParse(body);
  if (!envelope.success) throw invalid(`The body must be an object with a "${name}" array.`);
  const items = envelope.data[name] as unknown[];
  if (items.length === 0) throw invalid(`"${name}" is empty.`);
  if (items.length > MAX_BATCH)
    throw invalid(
      `At most ${MAX_BATCH} ${name} per request (got ${items.length}); split the batch.`,
    );
  const parsed = batchIssues(schema, items, MAX_LISTED_ISSUES);
  if (!parsed.ok)
    throw invalid(
      `${parsed.invalidRows} of ${items.length} ${name} are invalid; nothing was written.`,
      parsed.issues,
      parsed.totalIssues,
    );
  return parsed.rows;
}

/** Refuses a batch naming an item twice (by `keyOf`) whole, listing each repeat. */
function refuseRepeats<T>(
  rows: readonly T[],
  what: string,
  keyOf: (row: T) => string,
  field: string,
): void {
  const first = new Map<string, number>();
  const repeats = rows.flatMap((row, index) => {
    const key = keyOf(row);
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, index);
      return [];
    }
    return [
      {
        index,
        field,
        message: `${key} appears again (first at index ${seen}); send each once per batch`,
      },
    ];
  });
  if (repeats.length > 0) throw invalid(`The batch repeats ${what}; nothing was written.`, repeats);
}

function counts(result: UpsertCounts): UpsertCounts {
  return { created: result.created, updated: result.updated, unchanged: result.unchanged };
}

/** Verdict ids are PostgreSQL bigints. */
const MAX_CURSOR = 9_223_372_036_854_775_807n;

const verdictQuery = z.object({
  since: isoTime.optional(),
  cursor: z
    .string()
    // `abort`: only digits are judged as a bigint.
    .regex(/^\d{1,19}$/, { error: "cursor must be a value returned as nextCursor", abort: true })
    .refine(
      (cursor) => BigInt(cursor) <= MAX_CURSOR,
      "cursor must be a value returned as nextCursor",
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const hindsightDate = (name: string) =>
  z.iso
    // `abort`: only a well-formed date is judged by its year (as the bodies' dates are).
    .date({ error: `${name} must be a date like 2026-11-16`, abort: true })
    .refine((date) => isStorableYear(new Date(`${date}T00:00:00Z`)), UNSTORABLE_YEAR)
    .optional();

const hindsightQuery = z.strictObject({
  since: hindsightDate("since"),
  until: hindsightDate("until"),
  campaign: z.string().trim().min(1, "campaign must be a campaign key").optional(),
  cohort: z.enum(["week", "month"], { error: "cohort is week or month" }).optional(),
});

/** A query string parsed by `schema`, its problems listed as the API lists a body's. */
function readQuery<T>(req: IncomingMessage, schema: z.ZodType<T>): T {
  const url = new URL(req.url ?? "/", "http://localhost");
  const query = schema.safeParse(Object.fromEntries(url.searchParams));
  if (query.success) return query.data;
  throw invalid(
    "Bad query.",
    query.error.issues.map((i) => ({
      index: 0,
      field: String(i.path[0] ?? "query"),
      message:
        i.code === "unrecognized_keys" ? `Unknown parameters: ${i.keys.join(", ")}` : i.message,
    })),
  );
}

/**
 * The ingestion API: `Authorization: Bearer <key>`, and the key decides the workspace. An address
 * past its bad keys is answered 429 without its key being looked up.
 */
export function apiRoutes(deps: Deps, throttle = new BadKeyThrottle()): Route[] {
  const authenticated =
    (handler: ApiHandler) =>
    async (
      req: IncomingMessage,
      res: ServerResponse,
      params: Record<string, string>,
    ): Promise<void> => {
      try {
        const address = req.socket.remoteAddress;
        const wait = await throttle.secondsToWait(address);
        if (wait > 0) {
          req.resume();
          res.setHeader("retry-after", String(wait));
          throw new AppError(
            "too_many_bad_keys",
            `bad-key limit reached by ${address}`,
            `Too many bad API keys from your address; try again in ${wait} s.`,
          );
        }
        const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
        const workspaceId = key ? await authenticateApiKey(deps, { key }) : undefined;
        if (!workspaceId) {
          req.resume();
          await throttle.recordBadKey(address);
          throw new AppError(
            "unauthorized",
            "no or bad API key",
            "Send a valid API key: Authorization: Bearer <key> (create one with `leadfit api-key create`).",
          );
        }
        sendJson(res, 200, await handler({ workspaceId, req, params }));
      } catch (error) {
        sendApiError(res, error, (e) =>
          deps.log.error("API request failed", {
            path: req.url,
            error: String(e),
            stack: e instanceof Error ? e.stack : undefined,
          }),
        );
      }
    };

  return [
    {
      method: "POST",
      path: "/api/v1/leads",
      handler: authenticated(async ({ workspaceId, req }) => {
        const leads = await readBatch(req, "leads", leadInputSchema);
        refuseRepeats(leads, "leads", (l) => l.externalId, "externalId");
        return ingestLeads(deps, { workspaceId, leads });
      }),
    },
    {
      method: "POST",
      path: "/api/v1/metrics",
      handler: authenticated(async ({ workspaceId, req }) => {
        const values = await readBatch(req, "metrics", metricValueInputSchema);
        // One value per metric, campaign, period and source: a second would replace the first.
        refuseRepeats(
          values,
          "metrics",
          (v) =>
            `${v.metric} (${v.campaign ?? "no campaign"}, ${v.period.granularity} of ${v.period.periodStart}, ${v.source})`,
          "metric",
        );
        return ingestMetrics(deps, { workspaceId, values });
      }),
    },
    {
      method: "POST",
      path: "/api/v1/outcomes",
      handler: authenticated(async ({ workspaceId, req }) => {
        const outcomes = await readBatch(req, "outcomes", outcomeInputSchema);
        refuseRepeats(outcomes, "outcomes", (o) => `${o.externalId} (${o.type})`, "externalId");
        return counts(await recordOutcomes(deps, { workspaceId, outcomes }));
      }),
    },
    {
      method: "GET",
      path: "/api/v1/hindsight",
      handler: authenticated(async ({ workspaceId, req }) => {
        const query = readQuery(req, hindsightQuery);
        return buildHindsight(deps, {
          workspace: await workspaceOfKey(deps, { workspaceId }),
          now: deps.now(),
          since: query.since,
          until: query.until,
          campaignKey: query.campaign,
          cohortSize: query.cohort,
          // Keys are made by admins: the per-rep view, when turned on, is theirs to read.
          viewerIsAdmin: true,
        });
      }),
    },
    {
      method: "POST",
      path: "/api/v1/campaigns",
      handler: authenticated(async ({ workspaceId, req }) => {
        const campaigns = await readBatch(req, "campaigns", campaignInputSchema);
        refuseRepeats(campaigns, "campaigns", (c) => c.key, "key");
        return upsertCampaigns(deps, { workspaceId, campaigns });
      }),
    },
    {
      method: "POST",
      path: "/api/v1/metric-definitions",
      handler: authenticated(async ({ workspaceId, req }) => {
        const definitions = await readBatch(req, "definitions", metricDefinitionSchema);
        refuseRepeats(definitions, "definitions", (d) => d.key, "key");
        return defineMetrics(deps, { workspaceId, definitions });
      }),
    },
    {
      method: "POST",
      path: "/api/v1/reasons",
      handler: authenticated(async ({ workspaceId, req }) => {
        const reasons = await readBatch(req, "reasons", reasonSchema);
        refuseRepeats(reasons, "reasons", (r) => r.key, "key");
        return defineReasons(deps, { workspaceId, reasons });
      }),
    },
    {
      method: "GET",
      path: "/api/v1/reasons",
      handler: authenticated(async ({ workspaceId }) => ({
        reasons: await listReasons(deps, { workspaceId }),
      })),
    },
    {
      method: "GET",
      path: "/api/v1/leads/:externalId",
      handler: authenticated(async ({ workspaceId, params }) => {
        return leadWithVerdicts(deps, { workspaceId, externalId: params.externalId ?? "" });
      }),
    },
    {
      method: "GET",
      path: "/api/v1/verdicts",
      handler: authenticated(async ({ workspaceId, req }) => {
        const query = readQuery(req, verdictQuery);
        return verdictFeed(deps, {
          workspaceId,
          since: query.since,
          after: query.cursor ? BigInt(query.cursor) : undefined,
          limit: query.limit,
        });
      }),
    },
  ];
}
