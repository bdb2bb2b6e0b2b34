import type { InputProblem } from "../domain/app-error.ts";
import { readCsvRecords } from "./csv-reader.ts";
import type { ImportFormat } from "./format.ts";
import { type Columns, cellsByColumn, mapHeader } from "./header-mapping.ts";
import type { Progress } from "./progress.ts";

// CSV records → the header → rows parsed with the format's schema, each with its problems.

export type Row<T> =
  | { header: true; ok: true; line: number }
  /** `input`: the row as the API's JSON shape, which `value` was parsed from. */
  | { header?: false; ok: true; line: number; value: T; input: unknown }
  | { header?: false; ok: false; fatal: boolean; line: number; problems: InputProblem[] };

/**
 * The rows of the file, streamed: each parsed with the format's schema, or its problems. A CSV
 * syntax error goes to `onSyntaxError` and reading carries on with the next record.
 */
export async function* readRows<T>(
  path: string,
  format: ImportFormat<T>,
  progress: Progress,
  onSyntaxError: (problem: InputProblem) => void,
): AsyncGenerator<Row<T>> {
  let syntaxErrors = 0;
  const records = readCsvRecords(path, (problem) => {
    syntaxErrors++;
    onSyntaxError(problem);
  });
  let columns: Columns | undefined;
  let rows = 0;
  let bytesRead = 0;
  for await (const record of records) {
    bytesRead = record.bytesRead;
    if (!columns) {
      const header = mapHeader(record.cells, record.line, format);
      if ("problems" in header) {
        yield { ok: false, fatal: true, line: record.line, problems: header.problems };
        return;
      }
      columns = header;
      yield { header: true, ok: true, line: record.line };
      continue;
    }
    rows++;
    yield parseRow(format, cellsByColumn(record.cells, columns), record.line);
    progress(rows, bytesRead, false);
  }
  if (!columns && syntaxErrors === 0) yield emptyFile(format);
  progress(rows, bytesRead, true);
}

/** One row's cells → the API's JSON shape, parsed with the format's schema. */
export function parseRow<T>(
  format: ImportFormat<T>,
  cells: ReadonlyMap<string, string>,
  line: number,
): Row<T> {
  const input = format.toInput(cells);
  const parsed = format.schema.safeParse(input);
  return parsed.success
    ? { ok: true, line, value: parsed.data, input }
    : {
        ok: false,
        fatal: false,
        line,
        problems: parsed.error.issues.map((issue) => ({
          index: line,
          field: format.column(issue.path),
          message: issue.message,
        })),
      };
}

function emptyFile(format: Pick<ImportFormat<unknown>, "required">): Row<never> {
  return {
    ok: false,
    fatal: true,
    line: 1,
    problems: [
      {
        index: 1,
        field: "(header)",
        message: `The file is empty: the first line names the columns (${format.required.join(", ")}, …)`,
      },
    ],
  };
}
