import { formatCount, formatMoney, formatPercent } from "../../domain/figures.ts";
import type { MetricUnit } from "../../domain/metrics.ts";

// Numbers for axes and alt text, in short forms: "$120k", "45", "42%".

const NO_VALUE = "—";

const compactMoneyFormats = new Map<string, Intl.NumberFormat>();

function compactMoney(amount: number, currency: string): string {
  // Below 1000 the domain's format is already short ("$98", "$12.50"); it also rejects bad codes.
  if (Math.abs(amount) < 1000) return formatMoney(amount, currency);
  let format = compactMoneyFormats.get(currency);
  if (!format) {
    formatMoney(amount, currency); // throws the domain's AppError for an unknown currency
    format = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      notation: "compact",
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
    compactMoneyFormats.set(currency, format);
  }
  return format.format(amount).replace("K", "k");
}

/** A metric's value in its own unit, short enough for an axis tick or a sentence. */
export function formatFigure(value: number | null, unit: MetricUnit, currency: string): string {
  if (value === null) return NO_VALUE;
  switch (unit) {
    case "currency":
      return compactMoney(value, currency);
    case "percent":
      return formatPercent(value);
    case "count":
    case "score":
      return formatCount(value);
  }
}
