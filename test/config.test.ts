import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, parseConfig } from "../src/config.ts";
import { isAppError } from "../src/domain/app-error.ts";

function errorOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    if (isAppError(error)) return error.userMessage;
    throw error;
  }
  throw new Error("expected a configuration error");
}

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("configuration", () => {
  it("has sensible defaults with nothing set", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      slack: { kind: "none" },
      port: 3000,
      databaseUrl: undefined,
      dataDir: DEFAULT_DATA_DIR,
      admins: [],
      logLevel: "info",
    });
  });

  it("treats empty and blank values as unset", () => {
    const config = parseConfig({
      PORT: "",
      DATABASE_URL: "  ",
      SLACK_BOT_TOKEN: "",
      LEADFIT_ADMINS: "",
    });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.slack.kind).toBe("none");
  });

  it("reads every variable", () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: "xoxb-1-2-abc",
      SLACK_SIGNING_SECRET: "shh",
      SLACK_APP_TOKEN: "xapp-1-A1-2-abc",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
      PORT: "8080",
      DATABASE_URL: "postgresql://root@127.0.0.1:5432/leadfit",
      LEADFIT_DATA_DIR: "/var/lib/leadfit",
      LEADFIT_ADMINS: "U012ABCDEF, W034GHIJKL",
      LOG_LEVEL: "debug",
      LEADFIT_ENCRYPTION_KEY: KEY,
      HUBSPOT_API_URL: "http://127.0.0.1:9998/",
      HUBSPOT_CLIENT_ID: "hub-id",
      HUBSPOT_CLIENT_SECRET: "hub-secret",
      SALESFORCE_LOGIN_URL: "https://test.salesforce.com",
      SALESFORCE_CLIENT_ID: "sf-id",
      SALESFORCE_CLIENT_SECRET: "sf-secret",
    });
    expect(config).toEqual({
      slack: { kind: "single", botToken: "xoxb-1-2-abc" },
      appToken: "xapp-1-A1-2-abc",
      signingSecret: "shh",
      slackApiUrl: "http://127.0.0.1:9999/api/",
      port: 8080,
      databaseUrl: "postgresql://root@127.0.0.1:5432/leadfit",
      dataDir: "/var/lib/leadfit",
      admins: ["U012ABCDEF", "W034GHIJKL"],
      logLevel: "debug",
      webhookAllowPrivate: false,
      crm: {
        encryptionKey: Buffer.from(KEY, "base64"),
        hubspot: {
          apiUrl: "http://127.0.0.1:9998",
          app: { clientId: "hub-id", clientSecret: "hub-secret" },
          webhookSecret: "hub-secret",
        },
        salesforce: {
          loginUrl: "https://test.salesforce.com",
          app: { clientId: "sf-id", clientSecret: "sf-secret" },
        },
      },
    });
  });

  it("points the CRM clients at the vendors by default, with no key and no apps", () => {
    expect(parseConfig({}).crm).toEqual({
      encryptionKey: undefined,
      hubspot: { apiUrl: "https://api.hubapi.com", app: undefined, webhookSecret: undefined },
      salesforce: { loginUrl: "https://login.salesforce.com", app: undefined },
    });
  });

  it("checks HubSpot's webhooks with a private app's client secret alone: no OAuth without the client id", () => {
    expect(parseConfig({ HUBSPOT_CLIENT_SECRET: "private-app-secret" }).crm.hubspot).toEqual({
      apiUrl: "https://api.hubapi.com",
      app: undefined,
      webhookSecret: "private-app-secret",
    });
  });

  it("prefers OAuth over a single bot token", () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_CLIENT_ID: "1234.5678",
      SLACK_CLIENT_SECRET: "secret",
      SLACK_STATE_SECRET: "a-long-random-state-secret",
    });
    expect(config.slack).toEqual({
      kind: "oauth",
      clientId: "1234.5678",
      clientSecret: "secret",
      stateSecret: "a-long-random-state-secret",
    });
  });

  it.each([
    [{ PORT: "abc" }, 'PORT must be a port number from 0 to 65535 (got "abc")'],
    [{ PORT: "70000" }, 'PORT must be a port number from 0 to 65535 (got "70000")'],
    [{ PORT: "80.5" }, 'PORT must be a port number from 0 to 65535 (got "80.5")'],
    [
      { DATABASE_URL: "mysql://x@y/z" },
      "DATABASE_URL must be a PostgreSQL URL such as postgresql://user@host:5432/leadfit",
    ],
    [
      { SLACK_API_URL: "not a url" },
      'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "not a url")',
    ],
    [
      { LEADFIT_ADMINS: "U012ABCDEF,bob" },
      "LEADFIT_ADMINS must be comma-separated Slack user ids such as U012ABCDEF,U034GHIJKL",
    ],
    [
      { LEADFIT_WEBHOOK_ALLOW_PRIVATE: "yes" },
      'LEADFIT_WEBHOOK_ALLOW_PRIVATE must be true or false (got "yes")',
    ],
    [{ LOG_LEVEL: "loud" }, 'LOG_LEVEL must be one of debug, info, warn, error (got "loud")'],
    [
      { SLACK_BOT_TOKEN: "xoxp-user-token" },
      "SLACK_BOT_TOKEN must be a bot token starting with xoxb-",
    ],
    [
      { SLACK_APP_TOKEN: "xoxb-1" },
      "SLACK_APP_TOKEN must be an app-level token starting with xapp-",
    ],
    [
      { SLACK_CLIENT_ID: "1234.5678" },
      "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET go together",
    ],
    [
      { LEADFIT_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") },
      "LEADFIT_ENCRYPTION_KEY must be 32 bytes in base64; make one with: openssl rand -base64 32",
    ],
    [
      { LEADFIT_ENCRYPTION_KEY: "not base64 at all!" },
      "LEADFIT_ENCRYPTION_KEY must be 32 bytes in base64; make one with: openssl rand -base64 32",
    ],
    [
      { HUBSPOT_CLIENT_ID: "hub-id" },
      "HUBSPOT_CLIENT_ID needs HUBSPOT_CLIENT_SECRET: set both for HubSpot OAuth, or only HUBSPOT_CLIENT_SECRET (a private app's) for webhooks",
    ],
    [
      { SALESFORCE_CLIENT_SECRET: "s" },
      "SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET go together",
    ],
    [
      { SALESFORCE_LOGIN_URL: "login.salesforce.com" },
      "SALESFORCE_LOGIN_URL must be an http(s) URL such as https://login.salesforce.com",
    ],
  ])("rejects %j with one line naming the variable", (env, message) => {
    const text = errorOf(env);
    expect(text).toContain(message);
    expect(text).not.toContain("\n");
  });

  it("never echoes a secret in its error", () => {
    expect(errorOf({ SLACK_BOT_TOKEN: "xoxp-very-secret" })).not.toContain("very-secret");
    expect(errorOf({ LEADFIT_ENCRYPTION_KEY: "c2hvcnQta2V5" })).not.toContain("c2hvcnQta2V5");
  });
});
