import type { Logger } from "../../log.ts";

export interface Loop {
  /** Stops scheduling and waits for the run in progress to finish. */
  stop(): Promise<void>;
}

/** Runs `work` every `intervalMs`, never two at once; an error is logged and the loop goes on. */
export function every(
  intervalMs: number,
  name: string,
  log: Logger,
  work: () => Promise<unknown>,
): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = work()
      .catch((error: unknown) =>
        log.error(`${name} failed`, {
          error: String(error),
          stack: error instanceof Error ? error.stack : undefined,
        }),
      )
      .then(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
