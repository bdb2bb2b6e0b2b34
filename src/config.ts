import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AppError } from "./domain/app-error.ts";

const PROJECT_DIR = fileURLToPath(new URL("../", import.meta.url));
export const DEFAULT_DATA_DIR = `${PROJECT_DIR}.leadfit-data`;

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const slackUserId = /^[UW][A-Z0-9]{2,}$/;

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
    const shown = value === undefined || /SECRET|TOKEN/.test(name) ? "" : ` (got "${value}")`;
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
  };
}
