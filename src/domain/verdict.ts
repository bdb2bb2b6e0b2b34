export const VERDICTS = ["fit", "not_yet", "not_fit"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Whether the lead met the agreed definition when the verdict was given; unknown = none active. */
export type DefinitionCheckStatus = "met" | "not_met" | "unknown";

export interface VerdictEvent {
  verdict: Verdict;
  givenAt: Date;
  reasons: string[];
  definitionStatus: DefinitionCheckStatus;
}

/** The most a verdict's note holds (the modal enforces it; the service checks it again). */
export const VERDICT_NOTE_MAX = 1000;

export const VERDICT_LABELS: Record<Verdict, string> = {
  fit: "Good fit",
  not_yet: "Not yet",
  not_fit: "Not a fit",
};

/**
 * The verdict in force at `asOf` (exclusive, typically a week's end): the newest one given before
 * it. Later re-judgements therefore never change a past week's figures. On equal times the later
 * array element wins, since feedback is appended in order.
 */
export function verdictAsOf(
  history: readonly VerdictEvent[],
  asOf: Date,
): VerdictEvent | undefined {
  let current: VerdictEvent | undefined;
  for (const event of history) {
    const at = event.givenAt.getTime();
    if (at < asOf.getTime() && (!current || at >= current.givenAt.getTime())) current = event;
  }
  return current;
}
