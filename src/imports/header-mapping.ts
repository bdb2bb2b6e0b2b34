import type { InputProblem } from "../domain/app-error.ts";
import type { ImportFormat } from "./format.ts";

// The header line → which position holds which column. Spellings of a documented column are
// matched loosely; undocumented columns are kept under their own name, for the format to judge.

/** Each column's position in a record, by its name in the format (a field name for leads). */
export interface Columns {
  names: { name: string; position: number }[];
}

type HeaderRules = Pick<ImportFormat<unknown>, "columns" | "required" | "extraColumns">;

/** "External ID", "external-id", "externalId" and "external_id" are the same column. */
export function compactHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

/** The header's columns, or every problem with it (unnamed, repeated, missing, unwelcome). */
export function mapHeader(
  record: readonly string[],
  line: number,
  format: HeaderRules,
): Columns | { problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const names: Columns["names"] = [];
  const documented = new Map(format.columns.map((c) => [compactHeader(c), c]));
  const extra: { name: string; position: number }[] = [];
  record.forEach((raw, position) => {
    const header = raw.trim();
    if (header === "") {
      problems.push({
        index: line,
        field: "(header)",
        message: `Column ${position + 1} has no name in the header`,
      });
      return;
    }
    const name = documented.get(compactHeader(header));
    if (name) names.push({ name, position });
    else extra.push({ name: header.toLowerCase(), position });
  });
  problems.push(...format.extraColumns(extra, line));
  names.push(...extra);
  problems.push(...repeatedColumns(names, line), ...missingColumns(names, line, format.required));
  return problems.length > 0 ? { problems } : { names };
}

function repeatedColumns(names: Columns["names"], line: number): InputProblem[] {
  const counted = new Map<string, number>();
  for (const { name } of names) counted.set(name, (counted.get(name) ?? 0) + 1);
  return [...counted]
    .filter(([, n]) => n > 1)
    .map(([name, n]) => ({
      index: line,
      field: name,
      message: `The header names this column ${n} times`,
    }));
}

function missingColumns(
  names: Columns["names"],
  line: number,
  required: readonly string[],
): InputProblem[] {
  const present = new Set(names.map(({ name }) => name));
  return required
    .filter((name) => !present.has(name))
    .map((name) => ({
      index: line,
      field: name,
      message: `Missing required column ${name} (the header needs ${required.join(", ")})`,
    }));
}

/** A record's cells by column name, trimmed; a short record's missing cells are empty. */
export function cellsByColumn(record: readonly string[], columns: Columns): Map<string, string> {
  const cells = new Map<string, string>();
  for (const { name, position } of columns.names) cells.set(name, (record[position] ?? "").trim());
  return cells;
}
