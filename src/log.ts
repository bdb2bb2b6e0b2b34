import type { LogLevel } from "./config.ts";

export interface Logger {
  debug(message: string, context?: object): void;
  info(message: string, context?: object): void;
  warn(message: string, context?: object): void;
  error(message: string, context?: object): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One line per event on stderr, so stdout stays for a command's own output. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => {
    process.stderr.write(line);
  },
): Logger {
  const at =
    (lineLevel: LogLevel) =>
    (message: string, context?: object): void => {
      if (ORDER[lineLevel] < ORDER[level]) return;
      const extra = context ? ` ${JSON.stringify(context)}` : "";
      write(`${new Date().toISOString()} ${lineLevel.padEnd(5)} ${message}${extra}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
