import { describe, expect, it } from "vitest";
import { AppError, isAppError } from "../../src/domain/app-error.ts";

describe("AppError", () => {
  it("carries a code, an internal message, a user message and a cause", () => {
    const cause = new Error("socket closed");
    const error = new AppError("db_down", "connect ECONNREFUSED", "Try again in a minute.", {
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.code).toBe("db_down");
    expect(error.message).toBe("connect ECONNREFUSED");
    expect(error.userMessage).toBe("Try again in a minute.");
    expect(error.cause).toBe(cause);
  });

  it("is recognised by isAppError, other values are not", () => {
    expect(isAppError(new AppError("x", "y", "z"))).toBe(true);
    expect(isAppError(new Error("plain"))).toBe(false);
    expect(isAppError({ code: "x", message: "y", userMessage: "z" })).toBe(false);
    expect(isAppError(undefined)).toBe(false);
  });
});
