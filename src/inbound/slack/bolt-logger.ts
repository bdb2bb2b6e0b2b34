import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../log.ts";

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
