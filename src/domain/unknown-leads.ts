import type { InputProblem } from "./app-error.ts";
import type { OutcomeInput } from "./ingest-schemas.ts";

/** A problem for each outcome whose lead is not among `leadIds`, at `indexOf` its position. */
export function unknownLeadIssues({
  outcomes,
  leadIds,
  indexOf,
}: {
  outcomes: readonly Pick<OutcomeInput, "lead">[];
  leadIds: ReadonlyMap<string, string>;
  indexOf: (position: number) => number;
}): InputProblem[] {
  return outcomes.flatMap((o, position) =>
    leadIds.has(o.lead)
      ? []
      : [{ index: indexOf(position), field: "lead", message: `No lead with externalId ${o.lead}` }],
  );
}
