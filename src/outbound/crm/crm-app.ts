import type { CrmConfig, OAuthApp } from "../../config.ts";
import { AppError } from "../../domain/app-error.ts";
import type { CrmKind } from "../../domain/crm-connection.ts";

/** The environment variables naming each CRM's OAuth app. */
const APP_VARIABLES: Record<CrmKind, readonly string[]> = {
  hubspot: ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"],
  salesforce: ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"],
};

const APP_SETTINGS: Record<CrmKind, string> = {
  hubspot:
    "Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET to your HubSpot app's client id and secret to connect with OAuth (or connect with a private app's token: --token).",
  salesforce:
    "Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET to the connected app's consumer key and secret: the web server flow needs both, and the JWT bearer flow names the app.",
};

/** The CRM's OAuth app (HubSpot app, Salesforce connected app), or the error saying what to set. */
export function requireCrmApp(config: CrmConfig, kind: CrmKind): OAuthApp {
  const app = config[kind].app;
  if (app) return app;
  throw new AppError("crm_app_missing", APP_SETTINGS[kind], APP_SETTINGS[kind]);
}

/**
 * The environment variables still unset before an admin can authorize Leadfit with the CRM
 * (OAuth): its app, and the key that seals the tokens and signs the state. None when ready.
 */
export function crmAuthorizeMissing(config: CrmConfig, kind: CrmKind): string[] {
  return [
    ...(config[kind].app ? [] : APP_VARIABLES[kind]),
    ...(config.encryptionKey ? [] : ["LEADFIT_ENCRYPTION_KEY"]),
  ];
}
