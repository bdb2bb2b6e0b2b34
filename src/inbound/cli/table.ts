/** A plain-text table: left-aligned first column, right-aligned figures. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === 0 || i === cells.length - 1
          ? cell.padEnd(widths[i] ?? 0)
          : cell.padStart(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [
    line(header),
    line(header.map((_, i) => "-".repeat(widths[i] ?? 0))),
    ...rows.map(line),
  ].join("\n");
}
