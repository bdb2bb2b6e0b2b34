import { isAppError } from "../../src/domain/app-error.ts";

/** The code of the AppError the work fails with, or what it did instead, to compare in one line. */
export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return "no error";
}
