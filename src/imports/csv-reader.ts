import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import type { InputProblem } from "../domain/app-error.ts";

// A CSV file streamed record by record, each with the line of the file it starts on: UTF-8 with
// or without a BOM, or UTF-16 with its BOM (Excel's "Unicode text" and Google Ads' "Excel CSV");
// comma, tab or semicolon, whichever the first lines use. Syntax errors are reported and skipped,
// so one bad record does not hide the problems after it. Records may differ in width: title
// rows and footers do, and the rows after the header are judged against it by the caller.

export interface CsvRecord {
  cells: string[];
  /** The file's line the record starts on (1-based, as an editor shows it). */
  line: number;
  /** Bytes of the file read so far (the parser reads ahead of the records handed out). */
  bytesRead: number;
}

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** How a CSV file is written: its encoding (from its BOM) and its delimiter (from its lines). */
export async function sniffCsv(
  path: string,
): Promise<{ encoding: TextEncoding; delimiter: string }> {
  const file = await open(path);
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    const encoding: TextEncoding =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? "utf-16le"
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? "utf-16be"
          : "utf-8";
    return { encoding, delimiter: delimiterOf(new TextDecoder(encoding).decode(bytes)) };
  } finally {
    await file.close();
  }
}

const DELIMITERS = [",", "\t", ";"] as const;

/** The delimiter that splits some line of the file's start into the most cells (comma on a tie). */
export function delimiterOf(text: string): string {
  const lines = text.split(/\r?\n/).slice(0, 50);
  let best: string = ",";
  let most = 0;
  for (const delimiter of DELIMITERS) {
    const count = Math.max(0, ...lines.map((line) => line.split(delimiter).length - 1));
    if (count > most) {
      best = delimiter;
      most = count;
    }
  }
  return best;
}

/** Bytes → text in the file's encoding, its BOM dropped, characters split across chunks kept. */
function decoder(encoding: TextEncoding): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/**
 * The records of the file: empty lines skipped, and rows of bare delimiters (spreadsheets leave
 * them behind). A record that is not valid CSV goes to `onSyntaxError` and the parser carries on
 * with the next one.
 */
export async function* readCsvRecords(
  path: string,
  onSyntaxError: (problem: InputProblem) => void,
): AsyncGenerator<CsvRecord> {
  const { encoding, delimiter } = await sniffCsv(path);
  const file = createReadStream(path);
  const lines = lineCounter();
  const lineOf = new WeakMap<string[], number>();
  const parser = parse({
    delimiter,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: true,
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
  const text = decoder(encoding);
  file.on("error", (error) => parser.destroy(error));
  text.on("error", (error) => parser.destroy(error));
  file.pipe(text).pipe(parser);
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
  if (error.code === "CSV_QUOTE_NOT_CLOSED")
    return {
      index: line,
      field: "(row)",
      message:
        "The file ends inside a quoted cell: a quote opened on an earlier line is never closed",
    };
  return { index: line, field: "(row)", message: `Not valid CSV: ${error.message}` };
}

/** A data row wider or narrower than the header. */
export function widthProblem(cells: number, columns: number, line: number): InputProblem {
  return {
    index: line,
    field: "(row)",
    message: `${cells} cells where the header has ${columns} columns (an unquoted comma?)`,
  };
}
