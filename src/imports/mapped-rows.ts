import type { z } from "zod";
import type { InputProblem } from "../domain/app-error.ts";
import {
  type LeadInput,
  leadInputSchema,
  type MetricValueInput,
  metricValueInputSchema,
  type OutcomeInput,
  outcomeInputSchema,
} from "../domain/ingest-schemas.ts";
import { dateInZone, formatIsoWeek, isoWeekOfDate } from "../domain/week.ts";
import { widthProblem } from "./csv-reader.ts";
import type { ColumnSpec, ImportMapping } from "./mapping.ts";
import { continentOf } from "./regions.ts";
import type { TableRecord } from "./table-reader.ts";
import { instantOf, isNoValue, parseNumber, readTime } from "./values.ts";

// A mapping applied to a file's records: where the header is, which header is which of Leadfit's
// columns, and each data row as the API's inputs, or skipped with its reason, or its problems.

/** "External ID", "external-id", "externalId" and "external_id" are the same header. */
export function compactHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

/** A Leadfit column (`email`, `fields.employees`, `metric:spend`) and where its cells are. */
export interface BoundColumn {
  target: string;
  /** The headers as the mapping names them (several: their cells joined with a space). */
  headers: string[];
  positions: number[];
  spec: ColumnSpec;
}

export interface Header {
  line: number;
  width: number;
  bound: BoundColumn[];
  /** Headers that are none of the mapping's columns: listed, never dropped without a word. */
  unused: string[];
}

export type SkipReason = "comment" | "before the header" | "totals row" | "footer";

export type MappedRow<T> =
  | { kind: "skipped"; line: number; reason: SkipReason; text: string }
  | { kind: "valid"; line: number; values: T[]; inputs: unknown[] }
  | { kind: "invalid"; line: number; problems: InputProblem[] };

/** What the rows are read against besides the mapping: the zone and the workspace's names. */
export interface RowContext {
  timeZone: string;
  /** A campaign name → its campaign key, or undefined when it is not mapped. */
  campaignKey: (name: string) => string | undefined;
  /** An owner (name or email) → the Slack user, or undefined when not known. */
  ownerUser: (owner: string) => string | undefined;
  /** Unmapped campaign names become campaign keys as they are (else the import is refused). */
  createCampaigns: boolean;
  /** A campaign or owner the workspace does not know, for the dry run's lists. */
  unmatched: (what: "campaign" | "owner", name: string, line: number) => void;
}

/** Stands for "no column of a metric" among the missing columns. */
const NO_METRIC = "(metric)";

/** Records a header may be preceded by (title rows, preambles). */
export const HEADER_SEARCH_RECORDS = 30;

const specHeaders = (spec: ColumnSpec) => (Array.isArray(spec) ? spec : spec.headers);

/** Every column the mapping names, with the headers it goes by. */
function targetsOf(mapping: ImportMapping): { target: string; spec: ColumnSpec }[] {
  return [
    ...Object.entries(mapping.columns).map(([target, spec]) => ({ target, spec })),
    ...Object.entries(mapping.fields).map(([field, spec]) => ({ target: `fields.${field}`, spec })),
    ...Object.keys(mapping.metrics).map((header) => ({
      target: `metric:${header}`,
      spec: [header],
    })),
  ];
}

/** The columns a file of this mapping cannot do without; of a list, any one will do. */
export function requiredTargets(mapping: ImportMapping): string[][] {
  const named = (columns: string[]) => columns.filter((c) => c in mapping.columns);
  if (mapping.kind === "leads") return named(["externalId", "email", "createdAt"]).map((c) => [c]);
  if (mapping.kind === "outcomes")
    return named(["externalId", "lead", "type", "at"]).map((c) => [c]);
  return [named(["day", "week", "period"]), ...named(["metric", "value"]).map((c) => [c])];
}

/** "Day or Week": how a required column is named in messages. */
function requiredName(mapping: ImportMapping, alternatives: readonly string[]): string {
  return alternatives.map((t) => displayName(mapping, t)).join(" or ");
}

/** The first header name a column goes by, as the docs write it. */
export function displayName(mapping: ImportMapping, target: string): string {
  const spec = target.startsWith("fields.")
    ? mapping.fields[target.slice(7)]
    : target.startsWith("metric:")
      ? [target.slice(7)]
      : mapping.columns[target];
  const first = spec ? specHeaders(spec)[0] : undefined;
  return Array.isArray(first) ? first.join(" + ") : (first ?? target);
}

/** A record's columns bound to the mapping; how many of the mapping's columns it names. */
export function bindHeader(
  mapping: ImportMapping,
  cells: readonly string[],
  line: number,
): { header: Header; matched: number; missing: string[] } {
  const positions = new Map<string, number>();
  cells.forEach((cell, position) => {
    const key = compactHeader(cell);
    if (key !== "" && !positions.has(key)) positions.set(key, position);
  });
  const bound: BoundColumn[] = [];
  for (const { target, spec } of targetsOf(mapping)) {
    for (const alias of specHeaders(spec)) {
      const headers = Array.isArray(alias) ? alias : [alias];
      const at = headers.map((h) => positions.get(compactHeader(h)));
      if (at.every((p): p is number => p !== undefined)) {
        bound.push({ target, headers, positions: at, spec });
        break;
      }
    }
  }
  const used = new Set(bound.flatMap((b) => b.positions));
  const unused = cells
    .map((cell, position) => ({ cell: cell.trim(), position }))
    .filter(({ cell, position }) => cell !== "" && !used.has(position))
    .map(({ cell }) => cell);
  const present = new Set(bound.map((b) => b.target));
  const missing = requiredTargets(mapping)
    .filter((alternatives) => !alternatives.some((t) => present.has(t)))
    .map((alternatives) => requiredName(mapping, alternatives));
  const noMetric =
    mapping.kind === "metrics" &&
    !bound.some((b) => b.target === "value" || Boolean(mapping.metrics[b.target.slice(7)]));
  if (noMetric) missing.push(NO_METRIC);
  return { header: { line, width: cells.length, bound, unused }, matched: bound.length, missing };
}

/** Problems with a header that is found but not usable: unnamed, repeated or unwelcome columns. */
export function headerProblems(
  mapping: ImportMapping,
  cells: readonly string[],
  header: Header,
  missing: readonly string[],
): InputProblem[] {
  const { line } = header;
  const problems: InputProblem[] = [];
  cells.forEach((cell, position) => {
    if (cell.trim() === "")
      problems.push({
        index: line,
        field: "(header)",
        message: `Column ${position + 1} has no name in the header`,
      });
  });
  const counted = new Map<string, { name: string; n: number }>();
  for (const cell of cells) {
    const key = compactHeader(cell);
    if (key === "") continue;
    const seen = counted.get(key);
    counted.set(key, { name: seen?.name ?? cell.trim().toLowerCase(), n: (seen?.n ?? 0) + 1 });
  }
  for (const { name, n } of counted.values())
    if (n > 1)
      problems.push({
        index: line,
        field: name,
        message: `The header names this column ${n} times`,
      });
  problems.push(...otherColumnProblems(mapping, header));
  const required = requiredTargets(mapping).map((t) => requiredName(mapping, t));
  for (const name of missing)
    problems.push(
      name === NO_METRIC
        ? {
            index: line,
            field: "(header)",
            message: `No metric column: ${mapping.label} files have ${Object.keys(mapping.metrics)
              .filter((header) => mapping.metrics[header])
              .join(", ")}`,
          }
        : {
            index: line,
            field: name,
            message: `Missing required column ${name} (the header needs ${required.join(", ")})`,
          },
    );
  return problems;
}

function otherColumnProblems(mapping: ImportMapping, header: Header): InputProblem[] {
  const { line, unused } = header;
  if (mapping.otherColumns === "refuse")
    return unused.map((name) => ({
      index: line,
      field: name.toLowerCase(),
      message: `Unknown column: ${mapping.label} files have the columns ${targetsOf(mapping)
        .map((t) => displayName(mapping, t.target))
        .join(", ")}`,
    }));
  if (mapping.otherColumns === "fields" && unused.length > 0) {
    // Any other column is a qualification field; its name is checked once, by the API's schema.
    const probe = leadInputSchema.shape.fields.safeParse(
      Object.fromEntries(unused.map((name) => [name.toLowerCase(), ""])),
    );
    if (probe.success) return [];
    return probe.error.issues.map((issue) => ({
      index: line,
      field: typeof issue.path[0] === "string" ? issue.path[0] : "(header)",
      message: issue.message,
    }));
  }
  return [];
}

/** Reads data rows of one mapping once its header is known. */
export class RowMapper {
  private footerFrom: number | undefined;
  private readonly totals: RegExp[];
  private readonly footers: RegExp[];
  private readonly otherFields: { name: string; position: number }[];

  constructor(
    readonly mapping: ImportMapping,
    readonly header: Header,
    private readonly context: RowContext,
    cellsOfHeader: readonly string[],
    private readonly checkWidth: boolean,
  ) {
    this.totals = mapping.rows.totals.map((t) => new RegExp(t, "i"));
    this.footers = mapping.rows.footer.map((f) => new RegExp(f, "i"));
    const used = new Set(header.bound.flatMap((b) => b.positions));
    this.otherFields =
      mapping.otherColumns === "fields"
        ? cellsOfHeader
            .map((cell, position) => ({ name: cell.trim().toLowerCase(), position }))
            .filter(({ name, position }) => name !== "" && !used.has(position))
        : [];
  }

  /** The column a schema issue is about, as the file's header writes it. */
  columnOf(path: readonly PropertyKey[]): string {
    const [first, second] = path;
    const target =
      first === "fields" && typeof second === "string" ? `fields.${second}` : String(first);
    const bound = this.header.bound.find((b) => b.target === target);
    if (bound) return bound.headers.join(" + ");
    if (first === "fields" && typeof second === "string") return second;
    return "(row)";
  }

  read(record: TableRecord): MappedRow<LeadInput | MetricValueInput | OutcomeInput> {
    const { cells, line } = record;
    const first = cells.find((c) => c.trim() !== "")?.trim() ?? "";
    const comment = this.mapping.rows.comment;
    if (comment && first.startsWith(comment)) return skipped(line, "comment", first);
    if (this.footerFrom !== undefined || this.footers.some((f) => f.test(first))) {
      this.footerFrom ??= line;
      return skipped(line, "footer", first);
    }
    if (this.totals.some((t) => t.test(first))) return skipped(line, "totals row", first);
    if (this.checkWidth && cells.length !== this.header.width)
      return {
        kind: "invalid",
        line,
        problems: [widthProblem(cells.length, this.header.width, line)],
      };
    if (this.mapping.kind === "leads") return this.lead(cells, line);
    if (this.mapping.kind === "outcomes") return this.outcome(cells, line);
    return this.metricValues(cells, line);
  }

  private cell(cells: readonly string[], target: string): string | undefined {
    const bound = this.header.bound.find((b) => b.target === target);
    if (!bound) return undefined;
    const text = bound.positions
      .map((p) => (cells[p] ?? "").trim())
      .filter((t) => t !== "")
      .join(" ");
    const pattern = Array.isArray(bound.spec) ? undefined : bound.spec.pattern;
    if (pattern === undefined || text === "") return this.mapped(target, text);
    const match = new RegExp(pattern).exec(text);
    return this.mapped(target, (match?.[1] ?? text).trim());
  }

  private mapped(target: string, text: string): string {
    const name = target.startsWith("fields.") ? target.slice(7) : target;
    return this.mapping.values[name]?.[text] ?? text;
  }

  private lead(cells: readonly string[], line: number): MappedRow<LeadInput> {
    const problems: InputProblem[] = [];
    const text = (target: string) => this.cell(cells, target) || null;
    const fields: Record<string, string | number> = {};
    for (const { name, position } of this.otherFields) {
      const value = (cells[position] ?? "").trim();
      if (value !== "") fields[name] = value;
    }
    for (const bound of this.header.bound) {
      if (!bound.target.startsWith("fields.")) continue;
      const value = this.cell(cells, bound.target) ?? "";
      if (value === "" || isNoValue(value)) continue;
      const name = bound.target.slice(7);
      if (Array.isArray(bound.spec) || bound.spec.type === "text") fields[name] = value;
      else {
        const number = parseNumber(value, this.mapping.numbers.decimal);
        if (number === undefined)
          problems.push({
            index: line,
            field: bound.headers.join(" + "),
            message: `Not a number: "${value}"`,
          });
        else fields[name] = number;
      }
    }
    const region = this.mapping.region;
    if (region && fields[region.field] === undefined && typeof fields[region.from] === "string") {
      const continent = continentOf(fields[region.from] as string);
      if (continent) fields[region.field] = region.names[continent] ?? continent;
    }
    const createdAt = this.time(text("createdAt"), "createdAt", line, problems, {
      required: false,
      what: "when the lead was created",
    });
    const campaign = this.campaign(text("campaign"), line);
    const owner = text("owner");
    const input = {
      externalId: text("externalId") ?? "",
      email: text("email") ?? "",
      name: text("name"),
      company: text("company"),
      title: text("title"),
      campaign,
      owner: owner === null ? null : this.owner(owner, line),
      createdAt,
      fields,
    };
    return this.parsed(leadInputSchema, [input], line, problems);
  }

  private outcome(cells: readonly string[], line: number): MappedRow<OutcomeInput> {
    const problems: InputProblem[] = [];
    const text = (target: string) => this.cell(cells, target) || null;
    const amount = text("amount");
    const input = {
      externalId: text("externalId") ?? "",
      lead: text("lead") ?? "",
      type: text("type") ?? "",
      at: this.time(text("at"), "at", line, problems, {
        required: true,
        what: "when the opportunity was opened, won or lost",
      }),
      amount:
        amount === null || isNoValue(amount) ? null : this.number(amount, "amount", line, problems),
    };
    return this.parsed(outcomeInputSchema, [input], line, problems);
  }

  /** A Slack user when the owner is known as one; else the owner as the CRM writes it, noted. */
  private owner(owner: string, line: number): string {
    const user = this.context.ownerUser(owner);
    if (user !== undefined) return user;
    this.context.unmatched("owner", owner, line);
    return owner;
  }

  /** `required`: a row owes its time even when the file has no such column (outcomes). */
  private time(
    text: string | null,
    target: string,
    line: number,
    problems: InputProblem[],
    column: { required: boolean; what: string },
  ): string | null {
    if (text === null) {
      // A file that has the column owes each row its time; only a file without it leaves it out.
      if (column.required || this.header.bound.some((b) => b.target === target))
        problems.push({
          index: line,
          field: this.columnOf([target]),
          message: `Empty: ${column.what}, e.g. 2026-11-16 09:30 or 2026-11-16T09:30:00+01:00`,
        });
      return null;
    }
    const read = readTime(text, this.mapping.dates.order);
    if (read) return instantOf(read, this.context.timeZone).toISOString();
    problems.push({
      index: line,
      field: this.columnOf([target]),
      message: `Not a date and time Leadfit can read: "${text}" (e.g. 2026-11-16T09:30:00+01:00, 2026-11-16 09:30, 11/16/2026 9:30 AM)`,
    });
    return null;
  }

  private campaign(name: string | null, line: number): string | null {
    if (name === null || isNoValue(name)) return null;
    if (this.mapping.campaignColumn === "keys") return name;
    const key = this.mapping.campaigns[name] ?? this.context.campaignKey(name);
    if (key !== undefined) return key;
    this.context.unmatched("campaign", name, line);
    return this.context.createCampaigns ? name : null;
  }

  private metricValues(cells: readonly string[], line: number): MappedRow<MetricValueInput> {
    const problems: InputProblem[] = [];
    const period = this.period(cells, line, problems);
    const campaign = this.campaign(this.cell(cells, "campaign") || null, line);
    const source = this.mapping.source ?? (this.cell(cells, "source") || "csv");
    const inputs: unknown[] = [];
    const metric = this.cell(cells, "metric");
    if (metric !== undefined) {
      const value = this.cell(cells, "value") ?? "";
      inputs.push({
        metric,
        campaign,
        period,
        value: this.number(value, "value", line, problems),
        source,
      });
    }
    for (const bound of this.header.bound) {
      if (!bound.target.startsWith("metric:")) continue;
      const key = this.mapping.metrics[bound.target.slice(7)];
      const value = this.cell(cells, bound.target) ?? "";
      if (!key || isNoValue(value)) continue;
      inputs.push({
        metric: key,
        campaign,
        period,
        value: this.number(value, bound.target, line, problems),
        source,
      });
    }
    return this.parsed(metricValueInputSchema, inputs, line, problems);
  }

  private number(text: string, target: string, line: number, problems: InputProblem[]): unknown {
    const value = parseNumber(text, this.mapping.numbers.decimal);
    if (value !== undefined) return value;
    if (text === "") return text; // the schema says what is missing
    problems.push({
      index: line,
      field: this.columnOf([target]),
      message: `Not a number: "${text}" (the file's numbers are written like ${this.mapping.numbers.decimal === "." ? "1,234.50" : "1.234,50"})`,
    });
    return 0;
  }

  private period(cells: readonly string[], line: number, problems: InputProblem[]): string {
    const raw = this.cell(cells, "period");
    if (raw !== undefined) return raw;
    const target = this.cell(cells, "week") !== undefined ? "week" : "day";
    const text = this.cell(cells, target) ?? "";
    const read = readTime(text, this.mapping.dates.order);
    if (!read) {
      problems.push({
        index: line,
        field: this.columnOf([target]),
        message: `Not a date Leadfit can read: "${text}" (e.g. 2026-11-16, 11/16/2026, 20261116, Nov 16, 2026)`,
      });
      return "";
    }
    const date = read.kind === "local" ? read.date : dateInZone(read.at, this.context.timeZone);
    return target === "week" ? formatIsoWeek(isoWeekOfDate(date)) : date;
  }

  private parsed<T>(
    schema: z.ZodType<T>,
    inputs: unknown[],
    line: number,
    problems: InputProblem[],
  ): MappedRow<T> {
    const values: T[] = [];
    for (const input of inputs) {
      const parsed = schema.safeParse(input);
      if (parsed.success) values.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          if (!problems.some((p) => p.field === this.columnOf(issue.path)))
            problems.push({
              index: line,
              field: this.columnOf(issue.path),
              message: issue.message,
            });
    }
    return problems.length > 0
      ? { kind: "invalid", line, problems }
      : { kind: "valid", line, values, inputs };
  }
}

function skipped(line: number, reason: SkipReason, text: string): MappedRow<never> {
  return { kind: "skipped", line, reason, text };
}
