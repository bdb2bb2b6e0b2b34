import { Connection } from "@jsforce/jsforce-node";
import { z } from "zod";
import type { OAuthApp } from "../../config.ts";
import { crmError, parseCrmAnswer } from "./crm-error.ts";
import { salesforceJwtSession } from "./oauth.ts";

const CRM = "Salesforce";
export const SALESFORCE_API_VERSION = "62.0";

/**
 * Of the org's daily API allocation, the share Leadfit leaves to the org's other integrations: a
 * sync stops (and resumes the next day) rather than take the org to REQUEST_LIMIT_EXCEEDED.
 */
export const SALESFORCE_RESERVED_SHARE = 0.1;

const recordSchema = z
  .object({ attributes: z.object({ type: z.string() }).loose(), Id: z.string().min(1) })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type SalesforceRecord = z.infer<typeof recordSchema>;

const queryResultSchema = z.object({
  totalSize: z.number().int(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(recordSchema),
});

export interface SalesforcePage {
  records: SalesforceRecord[];
  /** Where the next batch is (`nextRecordsUrl`); undefined on the last one. */
  next: string | undefined;
}

export interface SalesforceOptions {
  instanceUrl: string;
  accessToken: string;
  refreshToken?: string;
  loginUrl: string;
  /** The connected app: needed to renew an expired access token with the refresh token. */
  app?: OAuthApp;
  /** The JWT bearer flow instead of a refresh token: a new signed JWT renews the session. */
  jwt?: { clientId: string; username: string; privateKey: string };
  onRefreshed?(accessToken: string): Promise<void>;
}

interface JsforceError {
  errorCode?: string;
  name?: string;
  message?: string;
}

/** jsforce's session renewal for the JWT bearer flow: a fresh JWT for each expired session. */
function jwtRenewal(
  loginUrl: string,
  jwt: NonNullable<SalesforceOptions["jwt"]>,
): (connection: unknown, done: (error: Error | undefined, accessToken?: string) => void) => void {
  return (_connection, done) => {
    salesforceJwtSession({ loginUrl, ...jwt, now: new Date() }).then(
      (session) => done(undefined, session.accessToken),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  };
}

/**
 * A Salesforce org through jsforce (pointed at `instanceUrl`; jsforce retries 429 and 5xx with
 * backoff and renews an expired session with the refresh token). Leadfit watches the daily
 * allocation jsforce reads from `Sforce-Limit-Info` and stops short of it; answers go through zod.
 */
export class SalesforceCrm {
  private readonly connection: Connection;
  private pendingRefresh: Promise<void> | undefined;

  constructor(private readonly options: SalesforceOptions) {
    this.connection = new Connection({
      instanceUrl: options.instanceUrl,
      accessToken: options.accessToken,
      version: SALESFORCE_API_VERSION,
      ...(options.jwt ? { refreshFn: jwtRenewal(options.loginUrl, options.jwt) } : {}),
      ...(options.refreshToken && options.app
        ? {
            refreshToken: options.refreshToken,
            oauth2: {
              clientId: options.app.clientId,
              clientSecret: options.app.clientSecret,
              loginUrl: options.loginUrl,
            },
          }
        : {}),
    });
    this.connection.on("refresh", (accessToken: string) => {
      this.pendingRefresh = options.onRefreshed?.(accessToken);
    });
  }

  /** The org's name, to recognise the connection. */
  async organizationName(): Promise<string> {
    const page = await this.query("SELECT Id, Name FROM Organization");
    return String(page.records[0]?.Name ?? this.options.instanceUrl);
  }

  /** The first batch of a SOQL query; `includeDeleted` reads the recycle bin too (queryAll). */
  async query(soql: string, options: { includeDeleted?: boolean } = {}): Promise<SalesforcePage> {
    return this.page(soql, () =>
      this.connection.query(soql, { autoFetch: false, scanAll: options.includeDeleted ?? false }),
    );
  }

  async queryMore(next: string): Promise<SalesforcePage> {
    return this.page(next, () => this.connection.queryMore(next));
  }

  /** Writes fields of one record (sobject update, PATCH). */
  async update(type: string, id: string, fields: Record<string, string | number | boolean | null>) {
    await this.guard(`update ${type} ${id}`, async () => {
      const result = await this.connection.sobject(type).update({ Id: id, ...fields });
      if (!result.success) {
        throw crmError(
          "crm_refused",
          CRM,
          `update ${type} ${id}: ${JSON.stringify(result.errors)}`,
        );
      }
    });
  }

  /** The daily allocation as last reported; undefined before the first call. */
  apiUsage(): { used: number; limit: number } | undefined {
    return this.connection.limitInfo.apiUsage;
  }

  private async page(what: string, run: () => PromiseLike<unknown>): Promise<SalesforcePage> {
    const raw = await this.guard(what, run);
    const result = parseCrmAnswer(CRM, what, queryResultSchema, raw);
    return {
      records: result.records,
      next: result.done ? undefined : result.nextRecordsUrl,
    };
  }

  private async guard<T>(what: string, run: () => PromiseLike<T>): Promise<T> {
    const usage = this.apiUsage();
    if (usage && usage.used >= usage.limit * (1 - SALESFORCE_RESERVED_SHARE)) {
      throw crmError(
        "crm_limit_reached",
        CRM,
        `${usage.used} of the org's ${usage.limit} daily API requests used; Leadfit leaves the last ${SALESFORCE_RESERVED_SHARE * 100}% to other integrations`,
      );
    }
    try {
      const result = await run();
      await this.pendingRefresh;
      return result;
    } catch (error) {
      throw this.failure(what, error);
    }
  }

  private failure(what: string, error: unknown): Error {
    if (error instanceof Error && "code" in error && String(error.code).startsWith("crm_"))
      return error;
    const e = (error ?? {}) as JsforceError;
    const code = e.errorCode ?? e.name ?? "";
    const detail = `${what}: ${code} ${e.message ?? ""}`.trim();
    if (code === "REQUEST_LIMIT_EXCEEDED")
      return crmError("crm_limit_reached", CRM, detail, { cause: error });
    if (
      code === "INVALID_SESSION_ID" ||
      /invalid_grant|invalid_client|refresh token/i.test(detail)
    ) {
      return crmError("crm_unauthorized", CRM, detail, { cause: error });
    }
    if (
      /^ERROR_HTTP_(5\d\d|429)$/.test(code) ||
      /ECONNRESET|ECONNREFUSED|ETIMEDOUT|fetch failed/.test(detail)
    ) {
      return crmError("crm_unavailable", CRM, detail, { cause: error });
    }
    return crmError("crm_refused", CRM, detail, { cause: error });
  }
}
