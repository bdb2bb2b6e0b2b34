import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AppError } from "./domain/app-error.ts";
import { MAKE_ENCRYPTION_KEY } from "./domain/crm-connection.ts";

const PROJECT_DIR = fileURLToPath(new URL("../", import.meta.url));
export const DEFAULT_DATA_DIR = `${PROJECT_DIR}.leadfit-data`;

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const slackUserId = /^[UW][A-Z0-9]{2,}$/;

function decodedLength(base64: string): number {
  return Buffer.from(base64, "base64").length;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

// Each variable with the sentence a person reads when it is wrong.
const variables = {
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, "a bot token starting with xoxb-")
    .optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^\S+$/, "the app's signing secret").optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "an app-level token starting with xapp-")
    .optional(),
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, "the app's client id, like 1234.5678")
    .optional(),
  SLACK_CLIENT_SECRET: z.string().regex(/^\S+$/, "the app's client secret").optional(),
  SLACK_STATE_SECRET: z.string().min(16, "a random string of at least 16 characters").optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: "an http(s) URL such as https://slack.com/api/" })
    .transform((url) => (url.endsWith("/") ? url : `${url}/`))
    .optional(),
  PORT: z.coerce
    .number({ error: "a port number from 0 to 65535" })
    .int("a port number from 0 to 65535")
    .min(0, "a port number from 0 to 65535")
    .max(65535, "a port number from 0 to 65535")
    .default(3000),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: "a PostgreSQL URL such as postgresql://user@host:5432/leadfit",
    })
    .optional(),
  LEADFIT_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  LEADFIT_ADMINS: z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => slackUserId.test(id)), {
      error: "comma-separated Slack user ids such as U012ABCDEF,U034GHIJKL",
    })
    .default([]),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  LEADFIT_WEBHOOK_ALLOW_PRIVATE: z
    .enum(["true", "false"], { error: "true or false" })
    .transform((v) => v === "true")
    .default(false),
  LEADFIT_ENCRYPTION_KEY: z
    .string()
    .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && decodedLength(value) === 32, {
      error: `32 bytes in base64; make one with: ${MAKE_ENCRYPTION_KEY}`,
    })
    .transform((value) => Buffer.from(value, "base64"))
    .optional(),
  HUBSPOT_API_URL: z
    .url({ protocol: /^https?$/, error: "an http(s) URL such as https://api.hubapi.com" })
    .transform(withoutTrailingSlash)
    .default("https://api.hubapi.com"),
  HUBSPOT_CLIENT_ID: z.string().regex(/^\S+$/, "the HubSpot app's client id").optional(),
  HUBSPOT_CLIENT_SECRET: z
    .string()
    .regex(/^\S+$/, "the HubSpot app's client secret (a private app's, or a public app's)")
    .optional(),
  SALESFORCE_LOGIN_URL: z
    .url({
      protocol: /^https?$/,
      error: "an http(s) URL such as https://login.salesforce.com",
    })
    .transform(withoutTrailingSlash)
    .default("https://login.salesforce.com"),
  SALESFORCE_CLIENT_ID: z
    .string()
    .regex(/^\S+$/, "the Salesforce connected app's consumer key")
    .optional(),
  SALESFORCE_CLIENT_SECRET: z
    .string()
    .regex(/^\S+$/, "the Salesforce connected app's consumer secret")
    .optional(),
};

const envSchema = z.object(variables);
type Env = z.infer<typeof envSchema>;

export type SlackMode =
  | { kind: "none" }
  | { kind: "single"; botToken: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; stateSecret: string };

export interface Config {
  slack: SlackMode;
  /** Socket Mode carries Slack's traffic when an app token is set; else HTTP at /slack/events. */
  appToken: string | undefined;
  signingSecret: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  admins: string[];
  logLevel: LogLevel;
  /** Lets webhooks target loopback and private addresses (for receivers inside your network). */
  webhookAllowPrivate: boolean;
  crm: CrmConfig;
}

/** An OAuth app's identity; set only when both halves are. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface CrmConfig {
  /** AES-256-GCM key for CRM credentials at rest; without it no CRM can be connected. */
  encryptionKey: Buffer | undefined;
  hubspot: {
    apiUrl: string;
    app: OAuthApp | undefined;
    /**
     * The secret HubSpot signs its webhooks with: the client secret of the app that sends them. A
     * private app has one but no OAuth client id, so it is set without `app`. Unset: no webhooks.
     */
    webhookSecret?: string | undefined;
  };
  salesforce: { loginUrl: string; app: OAuthApp | undefined };
}

function configError(message: string): AppError {
  return new AppError("invalid_config", message, message);
}

function slackMode(env: Env): SlackMode {
  const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const oauthSet = oauth.filter((v) => v !== undefined).length;
  if (oauthSet > 0 && oauthSet < oauth.length) {
    throw configError(
      "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET go together: set all three for OAuth, or none",
    );
  }
  if (env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET) {
    return {
      kind: "oauth",
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
    };
  }
  return env.SLACK_BOT_TOKEN ? { kind: "single", botToken: env.SLACK_BOT_TOKEN } : { kind: "none" };
}

/**
 * HubSpot's app: OAuth needs both halves, its webhooks only the secret (a private app's signs
 * them and it has no client id); an id alone serves nothing and is refused.
 */
function hubspotConfig(env: Env): CrmConfig["hubspot"] {
  if (env.HUBSPOT_CLIENT_ID && !env.HUBSPOT_CLIENT_SECRET) {
    throw configError(
      "HUBSPOT_CLIENT_ID needs HUBSPOT_CLIENT_SECRET: set both for HubSpot OAuth, or only HUBSPOT_CLIENT_SECRET (a private app's) for webhooks",
    );
  }
  return {
    apiUrl: env.HUBSPOT_API_URL,
    app:
      env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET
        ? { clientId: env.HUBSPOT_CLIENT_ID, clientSecret: env.HUBSPOT_CLIENT_SECRET }
        : undefined,
    webhookSecret: env.HUBSPOT_CLIENT_SECRET,
  };
}

function oauthApp(
  names: [string, string],
  clientId: string | undefined,
  clientSecret: string | undefined,
): OAuthApp | undefined {
  if (clientId && clientSecret) return { clientId, clientSecret };
  if (clientId || clientSecret)
    throw configError(`${names.join(" and ")} go together: set both, or none`);
  return undefined;
}

/**
 * Parses the environment once. An empty value counts as unset; a bad value throws an AppError
 * whose message is one line naming the variable and what it expects.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present: Record<string, string> = {};
  for (const name of Object.keys(variables)) {
    const value = env[name]?.trim();
    if (value) present[name] = value;
  }
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    const value = present[name];
    const shown = value === undefined || /SECRET|TOKEN|KEY/.test(name) ? "" : ` (got "${value}")`;
    throw configError(`${name} must be ${issue?.message ?? "valid"}${shown}`);
  }
  const e = parsed.data;
  return {
    slack: slackMode(e),
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.LEADFIT_DATA_DIR,
    admins: e.LEADFIT_ADMINS,
    logLevel: e.LOG_LEVEL,
    webhookAllowPrivate: e.LEADFIT_WEBHOOK_ALLOW_PRIVATE,
    crm: {
      encryptionKey: e.LEADFIT_ENCRYPTION_KEY,
      hubspot: hubspotConfig(e),
      salesforce: {
        loginUrl: e.SALESFORCE_LOGIN_URL,
        app: oauthApp(
          ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"],
          e.SALESFORCE_CLIENT_ID,
          e.SALESFORCE_CLIENT_SECRET,
        ),
      },
    },
  };
}
