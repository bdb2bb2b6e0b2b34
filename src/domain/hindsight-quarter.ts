import { addDays } from "./week.ts";

// The quarter hindsight is shown for at a glance (App Home): the newest calendar quarter whose
// leads have all had the conversion window to become opportunities, so its figures are final.

export interface Quarter {
  /** "2026-Q2". */
  label: string;
  /** First and last day, "YYYY-MM-DD", both included. */
  since: string;
  until: string;
}

function quarterOf(year: number, index: number): Quarter {
  const month = (n: number) => String(n).padStart(2, "0");
  const start = `${String(year).padStart(4, "0")}-${month(index * 3 + 1)}-01`;
  const next =
    index === 3
      ? `${String(year + 1).padStart(4, "0")}-01-01`
      : `${String(year).padStart(4, "0")}-${month(index * 3 + 4)}-01`;
  return { label: `${year}-Q${index + 1}`, since: start, until: addDays(next, -1) };
}

/** The newest quarter whose end is at least `conversionWindowDays` before `today` (a date). */
export function lastMatureQuarter(today: string, conversionWindowDays: number): Quarter {
  let year = Number(today.slice(0, 4));
  let index = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  for (;;) {
    const quarter = quarterOf(year, index);
    if (addDays(quarter.until, 1 + conversionWindowDays) <= today) return quarter;
    index -= 1;
    if (index < 0) {
      index = 3;
      year -= 1;
    }
  }
}
