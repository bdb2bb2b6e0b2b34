/**
 * The one error type of the app. `message` is for logs; `userMessage` is safe to show a person
 * (Slack, HTTP API), so internals never leak and a user is never left without an explanation.
 */
export class AppError extends Error {
  override readonly name = "AppError";
  /** For invalid input: the problems found (all, or the first ones), each with where it is. */
  readonly issues: readonly InputProblem[];
  /** How many problems were found, listed or not. */
  readonly totalIssues: number;

  constructor(
    readonly code: string,
    message: string,
    readonly userMessage: string,
    options?: { cause?: unknown; issues?: readonly InputProblem[]; totalIssues?: number },
  ) {
    super(message, options);
    this.issues = options?.issues ?? [];
    this.totalIssues = options?.totalIssues ?? this.issues.length;
  }
}

/** One problem in a batch: the row (index or line), the field, and what is wrong. */
export interface InputProblem {
  index: number;
  field: string;
  message: string;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
