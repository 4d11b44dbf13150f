/** Plain-text tables for the terminal. */

export type Cell = string | number | boolean | null | undefined;

function show(c: Cell): string {
  if (c === null || c === undefined) return "-";
  if (typeof c === "boolean") return c ? "yes" : "no";
  if (typeof c === "number") {
    if (!Number.isFinite(c)) return "-";
    return Number.isInteger(c)
      ? c.toLocaleString("en-US")
      : c.toLocaleString("en-US", { maximumFractionDigits: 2 });
  }
  return c;
}

/** An aligned table: text left, numbers right. */
export function table(title: string, headers: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map(show));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)),
  );
  const numeric = headers.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((r) => typeof r[i] === "number" || r[i] === null || r[i] === undefined),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [
    `\n${title}`,
    line(headers),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map(line),
  ].join("\n");
}

export function kb(bytes: number): number {
  return Math.round(bytes / 100) / 10;
}
