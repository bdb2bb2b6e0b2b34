import { createReadStream } from "node:fs";
import { type CsvError, parse } from "csv-parse";
import type { InputProblem } from "../domain/app-error.ts";

// A CSV file streamed record by record, each with the line of the file it starts on. Syntax errors
// are reported and skipped, so one bad record does not hide the problems after it.

export interface CsvRecord {
  cells: string[];
  /** The file's line the record starts on (1-based, as an editor shows it). */
  line: number;
  /** Bytes of the file read so far (the parser reads ahead of the records handed out). */
  bytesRead: number;
}

/**
 * The records of the file: BOM and empty lines skipped, and rows of bare commas (spreadsheets
 * leave them behind). A record that is not valid CSV goes to `onSyntaxError` and the parser
 * carries on with the next one.
 */
export async function* readCsvRecords(
  path: string,
  onSyntaxError: (problem: InputProblem) => void,
): AsyncGenerator<CsvRecord> {
  const file = createReadStream(path);
  const lines = lineCounter();
  const lineOf = new WeakMap<string[], number>();
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: false,
    on_record: (record: string[], info) => {
      lineOf.set(record, lines.firstLine(info.lines, record));
      return record;
    },
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return undefined;
      const cells = Array.isArray(error.record) ? error.record.map(String) : [];
      const lastLine = typeof error.lines === "number" ? error.lines : 0;
      onSyntaxError(syntaxProblem(error, lines.firstLine(lastLine, cells)));
      return undefined;
    },
  });
  file.on("error", (error) => parser.destroy(error));
  file.pipe(parser);
  try {
    for await (const cells of parser as AsyncIterable<string[]>)
      yield { cells, line: lineOf.get(cells) ?? 0, bytesRead: file.bytesRead };
  } finally {
    file.destroy();
    parser.destroy();
  }
}

/**
 * The parser counts every \r and \n inside a quoted cell as a line, so each quoted \r\n pushes
 * its count one past the file's line numbers from then on. Records must be numbered in the
 * parser's own order (it reads ahead of the consumer), refused ones included.
 */
export function lineCounter(): {
  firstLine: (lastLine: number, cells: readonly string[]) => number;
} {
  let quotedCrlfs = 0;
  return {
    firstLine: (lastLine, cells) => {
      const line = lastLine - cells.reduce((n, cell) => n + countNewlines(cell), 0) - quotedCrlfs;
      quotedCrlfs += cells.reduce((n, cell) => n + cell.split("\r\n").length - 1, 0);
      return line;
    },
  };
}

/** Line breaks inside a cell as the parser counts them: every \r and every \n (so \r\n is two). */
function countNewlines(text: string): number {
  let n = 0;
  for (const char of text) if (char === "\n" || char === "\r") n++;
  return n;
}

/** The parser's error as a problem a person can act on. */
export function syntaxProblem(error: CsvError, line: number): InputProblem {
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" && Array.isArray(error.record)) {
    // The parser reads records ahead of us, so the header's width comes from its message.
    const width = /expect (\d+)/.exec(error.message)?.[1];
    return {
      index: line,
      field: "(row)",
      message: `${error.record.length} cells where the header has ${width ?? "a different number of"} columns (an unquoted comma?)`,
    };
  }
  if (error.code === "CSV_QUOTE_NOT_CLOSED")
    return {
      index: line,
      field: "(row)",
      message:
        "The file ends inside a quoted cell: a quote opened on an earlier line is never closed",
    };
  return { index: line, field: "(row)", message: `Not valid CSV: ${error.message}` };
}
