import { Window } from "happy-dom";

/** A table as a reader sees it: caption, column labels and rows of cell texts. */
export interface ShownTable {
  page: string;
  caption: string;
  /** Column labels of the leaf header cells; a group header is prefixed: "Short term / Needs". */
  columns: string[];
  rows: ShownRow[];
}

export interface ShownRow {
  /** Text of the row header cell (th scope=row). */
  label: string;
  /** Cell texts by column label (the row header's own column included). */
  cells: Record<string, string>;
}

export interface ShownPage {
  page: string;
  tables: ShownTable[];
  /** The visible text of the page, whitespace collapsed. */
  text: string;
}

// Zero-width characters, and a stray NUL that happy-dom's parser leaves now and then, carry no figure.
const squash = (s: string | null | undefined) =>
  (s ?? "")
    .replaceAll("\u0000", "")
    .replace(/[\u200b\u2060\ufeff]/g, "")
    .replace(/\s+/g, " ")
    .trim();

/** Reads every table of a rendered page (happy-dom, no scripts run). */
export function readPage(page: string, html: string): ShownPage {
  const window = new Window({
    settings: { disableJavaScriptEvaluation: true, disableCSSFileLoading: true },
  });
  const document = window.document;
  document.write(html.replace(/<script[\s\S]*?<\/script>/gi, ""));
  const tables: ShownTable[] = [];
  for (const table of Array.from(document.querySelectorAll("table"))) {
    const caption = squash(table.querySelector("caption")?.textContent);
    const headRows = Array.from(table.querySelectorAll("thead tr"));
    // Lay the header out on a grid, honouring colspan and rowspan.
    const grid: string[][] = headRows.map(() => []);
    headRows.forEach((tr, r) => {
      let c = 0;
      for (const th of Array.from(tr.children)) {
        while (grid[r][c] !== undefined) c++;
        const span = Number(th.getAttribute("colspan") ?? 1);
        const rowSpan = Number(th.getAttribute("rowspan") ?? 1);
        for (let dr = 0; dr < rowSpan; dr++) {
          grid[r + dr] ??= [];
          for (let dc = 0; dc < span; dc++) grid[r + dr][c + dc] = squash(th.textContent);
        }
        c += span;
      }
    });
    const width = Math.max(0, ...grid.map((g) => g.length));
    const columns = Array.from({ length: width }, (_, c) => {
      const parts: string[] = [];
      for (const row of grid) if (row[c] && parts[parts.length - 1] !== row[c]) parts.push(row[c]);
      return parts.join(" / ");
    });
    const rows: ShownRow[] = [];
    for (const tr of Array.from(table.querySelectorAll("tbody tr"))) {
      const cells: Record<string, string> = {};
      let label = "";
      Array.from(tr.children).forEach((cell, i) => {
        const text = squash(cell.textContent);
        cells[columns[i] ?? `#${i}`] = text;
        if (cell.tagName === "TH" && !label) label = text;
      });
      rows.push({ label, cells });
    }
    tables.push({ page, caption, columns, rows });
  }
  const text = squash(document.body?.textContent);
  void window.happyDOM.close();
  return { page, tables, text };
}
