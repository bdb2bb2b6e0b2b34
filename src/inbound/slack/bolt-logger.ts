import { createRequire } from "node:module";
import type { Logger as BoltLogger } from "@slack/bolt";
import type * as SlackWebApi from "@slack/web-api";
import type { Logger } from "../../log.ts";

// Bolt's log levels are @slack/logger's, which Slack's Web API client exports too; CommonJS, loaded
// with require: see "CommonJS packages" in the README's Footprint.
const { LogLevel }: typeof SlackWebApi = createRequire(import.meta.url)("@slack/web-api");

/** Bolt and the OAuth installer log through the app's own logger. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  return {
    debug: (...parts) => log.debug(text(parts)),
    info: (...parts) => log.info(text(parts)),
    warn: (...parts) => log.warn(text(parts)),
    error: (...parts) => log.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
