import { describe, expect, it } from "vitest";
import { isAppError } from "../../../src/domain/app-error.ts";
import { formatFigure } from "../../../src/presentation/charts/format-figure.ts";

describe("formatFigure", () => {
  it("shortens each unit", () => {
    expect(formatFigure(120_000, "currency", "USD")).toBe("$120k");
    expect(formatFigure(1_250_000, "currency", "EUR")).toBe("€1.3M");
    expect(formatFigure(98, "currency", "USD")).toBe("$98");
    expect(formatFigure(12_000, "count", "USD")).toBe("12k");
    expect(formatFigure(0.423, "percent", "USD")).toBe("42%");
    expect(formatFigure(null, "score", "USD")).toBe("—");
  });

  it("rejects an unknown currency with the domain's error", () => {
    let error: unknown;
    try {
      formatFigure(5000, "currency", "dollars");
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
  });
});
