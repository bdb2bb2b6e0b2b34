/**
 * What a request did, once: its result the first time; a repeat of it (Slack's retry, a replay of
 * the same signed request) does nothing again, and says so.
 */
export type Once<T> = { repeat: false; value: T } | { repeat: true };

export const REPEAT = { repeat: true } as const;

export function firstTime<T>(value: T): Once<T> {
  return { repeat: false, value };
}
