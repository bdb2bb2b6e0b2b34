import { extname } from "node:path";
import ExcelJS from "exceljs";
import type { InputProblem } from "../domain/app-error.ts";
import { type CsvRecord, readCsvRecords } from "./csv-reader.ts";

// The records of an export, CSV or Excel workbook alike: cells as text, each with its line (a
// spreadsheet's row number). Workbooks are read as a stream, so memory stays flat however long.

export type TableRecord = CsvRecord;

export function isWorkbook(path: string): boolean {
  return extname(path).toLowerCase() === ".xlsx";
}

/** The file's records; CSV syntax errors go to `onSyntaxError` and reading carries on. */
export function readTable(
  path: string,
  onSyntaxError: (problem: InputProblem) => void,
): AsyncGenerator<TableRecord> {
  return isWorkbook(path) ? readWorkbookRecords(path) : readCsvRecords(path, onSyntaxError);
}

/** The first worksheet's rows, empty ones skipped; bytes are not known while streaming. */
async function* readWorkbookRecords(path: string): AsyncGenerator<TableRecord> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
  });
  for await (const worksheet of workbook) {
    for await (const row of worksheet) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = Array.from(values, cellText);
      if (cells.some((cell) => cell.trim() !== "")) yield { cells, line: row.number, bytesRead: 0 };
    }
    return;
  }
}

/** A cell as the export would have written it in a CSV file. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  // A spreadsheet's date is a wall-clock time without a zone, stored as if it were UTC.
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace("T", " ");
  if (typeof value !== "object") return String(value);
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
  if ("text" in value) return String(value.text);
  if ("error" in value) return String(value.error);
  return "";
}
