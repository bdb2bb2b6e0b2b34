/**
 * The one error type of the app. `message` is for logs; `userMessage` is safe to show a person
 * (Slack, HTTP API), so internals never leak and a user is never left without an explanation.
 */
export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly code: string,
    message: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
