import type { InputProblem } from "../domain/app-error.ts";

/** At most this many problems are kept; the rest are only counted. */
export const MAX_PROBLEMS = 1000;

/** The problems found in a file: the first MAX_PROBLEMS kept, all counted. */
export class ProblemList {
  readonly list: InputProblem[] = [];
  count = 0;

  add(problem: InputProblem): void {
    this.count++;
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
  }

  /** By line, as a person reads the file. */
  sorted(): InputProblem[] {
    return [...this.list].sort((a, b) => a.index - b.index);
  }
}
