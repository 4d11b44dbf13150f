/**
 * The image files of a chart (docs/decisions/055-chart-downloads.md): the chart's SVG as drawn
 * in the browser, under a header with its title, base and date, and its legend drawn in SVG
 * (the page shows the legend as HTML). Pure string building, no DOM, so that it is tested alone.
 */
import { wrapLabel } from "./chart-scale";

export interface LegendEntry {
  label: string;
  colour: string;
}

export interface ChartImage {
  /** The chart's own `<svg>` element, serialised. */
  chart: string;
  /** Its size in CSS pixels. */
  width: number;
  height: number;
  title: string;
  /** Lines under the title: the base (n) and the date. */
  lines: string[];
  legend?: LegendEntry[];
  /** Pixels at the chart's top left empty for the page's HTML legend, cut from the image. */
  cropTop?: number;
  /** A note under the chart (what its markers mean), wrapped. */
  footer?: string;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
const TEXT = "#1b1f24";
const PAD = 16;
const TITLE_SIZE = 16;
const TITLE_LINE = 21;
const LINE = 17;
const LEGEND_LINE = 20;

/** Escapes text for an SVG text node or attribute value. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * Gives the chart's root element the SVG namespace and a position inside the image, showing
 * its drawing from `cropTop` down.
 */
function placed(
  chart: string,
  y: number,
  width: number,
  height: number,
  chartWidth: number,
  cropTop: number,
): string {
  const open = chart.match(/^<svg\b[^>]*>/);
  if (!open) throw new Error("the chart is not an <svg> element");
  let tag = open[0]
    .replace(/\s(x|y|width|height|viewBox)="[^"]*"/g, "")
    .replace(/\sxmlns="[^"]*"/, "")
    .replace(/\sstyle="[^"]*"/, "");
  tag = tag.replace(
    /^<svg\b/,
    `<svg xmlns="http://www.w3.org/2000/svg" x="0" y="${y}" width="${width}" height="${height}" viewBox="0 ${cropTop} ${chartWidth} ${height}" preserveAspectRatio="xMinYMin meet"`,
  );
  return tag + chart.slice(open[0].length);
}

/**
 * The SVG file of a chart: white background, the title (wrapped), the lines under it, the
 * legend, then the chart. Text in the page's language, as given.
 */
export function chartSvgDocument(image: ChartImage): string {
  const width = Math.max(Math.ceil(image.width), 320);
  // Bold 16 px letters are about 0.62 em wide on average (Latin and Cyrillic).
  const chars = Math.max(20, Math.floor((width - 2 * PAD) / (TITLE_SIZE * 0.62)));
  const titleLines = wrapLabel(image.title, chars, 3);
  const parts: string[] = [];
  let y = PAD;
  for (const line of titleLines) {
    y += TITLE_LINE;
    parts.push(
      `<text x="${PAD}" y="${y - 5}" font-size="${TITLE_SIZE}" font-weight="700" fill="${TEXT}">${escapeXml(line)}</text>`,
    );
  }
  for (const line of image.lines) {
    y += LINE;
    parts.push(
      `<text x="${PAD}" y="${y - 4}" font-size="12" fill="${TEXT}">${escapeXml(line)}</text>`,
    );
  }
  const legend = image.legend ?? [];
  if (legend.length) {
    y += 6;
    let x = PAD;
    let row = y + LEGEND_LINE;
    for (const entry of legend) {
      const itemWidth = 22 + entry.label.length * 7 + 16;
      if (x > PAD && x + itemWidth > width - PAD) {
        x = PAD;
        row += LEGEND_LINE;
      }
      parts.push(
        `<rect x="${x}" y="${row - 13}" width="14" height="14" fill="${escapeXml(entry.colour)}"/>`,
        `<text x="${x + 20}" y="${row - 2}" font-size="12" fill="${TEXT}">${escapeXml(entry.label)}</text>`,
      );
      x += itemWidth;
    }
    y = row;
  }
  y += 8;
  const cropTop = Math.max(0, Math.min(Math.round(image.cropTop ?? 0), image.height - 1));
  const chartHeight = Math.ceil(image.height) - cropTop;
  const footer: string[] = [];
  let bottom = y + chartHeight;
  if (image.footer) {
    bottom += 6;
    for (const line of wrapLabel(image.footer, Math.floor((width - 2 * PAD) / 6.4), 6)) {
      bottom += 15;
      footer.push(
        `<text x="${PAD}" y="${bottom - 3}" font-size="11" fill="${TEXT}">${escapeXml(line)}</text>`,
      );
    }
  }
  const height = bottom + PAD;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    placed(image.chart, y, width, chartHeight, Math.ceil(image.width), cropTop),
    ...footer,
    `</svg>`,
  ].join("\n");
}

/** A file name from the chart's title and the date: letters and digits joined by "-". */
export function chartFileName(title: string, date: Date, extension: "svg" | "png"): string {
  const slug =
    title
      .toLowerCase()
      .normalize("NFKC")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "chart";
  return `${slug}-${date.toISOString().slice(0, 10)}.${extension}`;
}
