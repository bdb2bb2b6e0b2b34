import type { CrmConfig } from "../../config.ts";
import { type CrmCredentials, hubspotAccount } from "../../domain/crm-connection.ts";
import { requireCrmApp } from "./crm-app.ts";
import { HubSpotCrm } from "./hubspot.ts";
import { SalesforceCrm } from "./salesforce.ts";

export type CrmClient =
  | { kind: "hubspot"; hubspot: HubSpotCrm }
  | { kind: "salesforce"; salesforce: SalesforceCrm };

/** Options a bench or test may set: HubSpot's tier limits and the backoff. */
export interface CrmClientTuning {
  hubspotLimits?: { perTenSeconds: number; searchPerSecond: number };
  backoffMs?: number;
}

/**
 * The client for a connection's CRM, at the configured base URLs. New tokens from a refresh are
 * handed to `onRefreshed` whole, to be sealed and stored.
 */
export function crmClientFor(
  config: CrmConfig,
  credentials: CrmCredentials,
  onRefreshed: (credentials: CrmCredentials) => Promise<void>,
  tuning: CrmClientTuning = {},
): CrmClient {
  if (credentials.kind === "hubspot") {
    const { refreshToken } = credentials;
    const app = config.hubspot.app;
    return {
      kind: "hubspot",
      hubspot: new HubSpotCrm({
        apiUrl: config.hubspot.apiUrl,
        accessToken: credentials.accessToken,
        ...(refreshToken && app
          ? {
              refresh: {
                refreshToken,
                app,
                onRefreshed: (tokens) => onRefreshed({ kind: "hubspot", ...tokens }),
              },
            }
          : {}),
        ...(tuning.hubspotLimits ? { limits: tuning.hubspotLimits } : {}),
        ...(tuning.backoffMs !== undefined ? { backoffMs: tuning.backoffMs } : {}),
      }),
    };
  }
  const { app, loginUrl } = config.salesforce;
  const renewal =
    credentials.flow === "jwt"
      ? {
          jwt: {
            clientId: requireCrmApp(config, "salesforce").clientId,
            username: credentials.username,
            privateKey: credentials.privateKey,
          },
        }
      : {
          ...(credentials.refreshToken ? { refreshToken: credentials.refreshToken } : {}),
          ...(app ? { app } : {}),
        };
  return {
    kind: "salesforce",
    salesforce: new SalesforceCrm({
      instanceUrl: credentials.instanceUrl,
      accessToken: credentials.accessToken,
      loginUrl,
      ...renewal,
      onRefreshed: (accessToken) => onRefreshed({ ...credentials, accessToken }),
    }),
  };
}

/** The portal or org the credentials open, as the CRM names it: proves they work. */
export async function crmAccount(client: CrmClient): Promise<string> {
  return client.kind === "hubspot"
    ? hubspotAccount(await client.hubspot.portalId())
    : await client.salesforce.organizationName();
}
