import type { MetricFigure } from "../../domain/digest.ts";

// Weekly series on a shared axis of ISO weeks.

/** "2026-W47" → "W47"; the year is shown under the first week and where it changes. */
export function weekTick(weeks: readonly string[], index: number): string | string[] {
  const week = weeks[index] ?? "";
  const [year, number] = week.split("-");
  if (number === undefined) return week;
  const previousYear = index > 0 ? weeks[index - 1]?.split("-")[0] : undefined;
  return year !== previousYear ? [number, year ?? ""] : number;
}

/** The weeks of all series, oldest first (ISO week strings sort as text). */
export function chartWeeks(figures: readonly MetricFigure[]): string[] {
  const weeks = new Set<string>();
  for (const figure of figures) for (const point of figure.series) weeks.add(point.week);
  return [...weeks].sort();
}

/** The figure's value for each week, null where it has none. */
export function valuesByWeek(figure: MetricFigure, weeks: readonly string[]): (number | null)[] {
  const byWeek = new Map(figure.series.map((p) => [p.week, p.value]));
  return weeks.map((w) => byWeek.get(w) ?? null);
}

/**
 * A series as an index: its first known positive value is 100. Earlier known values (zeros) are
 * 0 and gaps stay gaps. Null when no value is positive (nothing to index against).
 */
export function indexSeries(values: readonly (number | null)[]): (number | null)[] | null {
  const base = values.find((v): v is number => v !== null && v > 0);
  if (base === undefined) return null;
  return values.map((v) => (v === null ? null : Math.round((v / base) * 1000) / 10));
}
