import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, crc32, createDeflateRaw, deflateRawSync } from "node:zlib";
import { type SheetCell, sheetText } from "./spreadsheet.server";

/**
 * XLSX workbooks written as the client reads them: the sheet XML is built as text straight from
 * the rows, deflated and put in a zip file, entry after entry (docs/decisions/052). An XLSX file
 * is a zip of a few XML parts; the app needs only inline text, numbers, dates, bold rows, a
 * frozen header row and column widths, so it writes those parts itself instead of going through
 * a spreadsheet library's cell, style and row objects. Every text cell goes through
 * spreadsheet.server.ts (`sheetText`): formulas neutralised, LF line breaks.
 */

/** A cell of a workbook row: text, a number, a date and time (UTC) or empty. */
export type XlsxCell = SheetCell | Date;

export interface XlsxSheet {
  name: string;
  /** Keep the first row in view while scrolling (a header row). */
  frozenHeader?: boolean;
  /** Column widths in characters, by column number (1 = A). */
  widths?: Record<number, number>;
  /** Which rows are bold, by their cells and their index (0 = the first row). */
  bold?: (cells: readonly XlsxCell[], index: number) => boolean;
  /**
   * The rows, first to last. A row is written before the next is asked for, so a source may
   * reuse one array for every row.
   */
  rows: AsyncIterable<readonly XlsxCell[]> | Iterable<readonly XlsxCell[]>;
}

export interface XlsxWorkbook {
  creator: string;
  sheets: XlsxSheet[];
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style ids of cellXfs in STYLES: plain, bold, date and time. */
const BOLD = 1;
const DATE = 2;
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>";

/** Characters XML 1.0 does not allow (control characters but tab, LF, CR), dropped as Excel does. */
// eslint-disable-next-line no-control-regex -- these are the characters matched
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex -- as above
const ESCAPED = /[&<>"\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/;

/** Text as XML character data (also fit for an attribute value in double quotes). */
export function xmlText(text: string): string {
  if (!ESCAPED.test(text)) return text;
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** The column letters of column number `n` (1 = A, 27 = AA). */
export function columnLetters(n: number): string {
  let letters = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

/** A date's serial number in a workbook (days since 1899-12-30, UTC). */
function serialDate(date: Date): number {
  return 25569 + date.getTime() / 86_400_000;
}

/** Text gathered before it is deflated (about one stream chunk). */
const TEXT_CHUNK = 64 * 1024;

/** The XML of one worksheet, about TEXT_CHUNK characters at a time. */
async function* sheetXml(sheet: XlsxSheet): AsyncGenerator<string> {
  const bold = sheet.bold ?? ((_: readonly XlsxCell[], index: number) => index === 0);
  let xml = `${XML_HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0">`;
  if (sheet.frozenHeader)
    xml +=
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>';
  xml += '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>';
  const widths = Object.entries(sheet.widths ?? {});
  if (widths.length > 0) {
    xml += "<cols>";
    for (const [column, width] of widths)
      xml += `<col min="${column}" max="${column}" width="${width}" customWidth="1"/>`;
    xml += "</cols>";
  }
  xml += "<sheetData>";
  // Column letters, made once per column number.
  const letters: string[] = [""];
  let index = 0;
  for await (const cells of sheet.rows) {
    const r = index + 1;
    const style = bold(cells, index) ? ` s="${BOLD}"` : "";
    xml += `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell === null || cell === undefined) continue;
      const ref = (letters[i + 1] ??= columnLetters(i + 1)) + r;
      if (typeof cell === "number" && Number.isFinite(cell))
        xml += `<c r="${ref}"${style}><v>${cell}</v></c>`;
      else if (cell instanceof Date)
        xml += `<c r="${ref}" s="${DATE}"><v>${serialDate(cell)}</v></c>`;
      else {
        // (-Infinity, which no answer holds, is text to a spreadsheet: written as text.)
        const text = xmlText(sheetText(String(cell)));
        xml += `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
      }
    }
    xml += "</row>";
    index++;
    if (xml.length >= TEXT_CHUNK) {
      yield xml;
      xml = "";
    }
  }
  yield `${xml}</sheetData></worksheet>`;
}

// ---------------------------------------------------------------------------------------------
// The zip file

interface ZipEntry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const UTF8_NAMES_AND_DESCRIPTOR = 0x0808;
const DEFLATE = 8;
/** Sizes and offsets of this zip format (without its 64-bit extension) end at 4 GiB. */
const ZIP_LIMIT = 0xffffffff;
/**
 * The fastest deflate: the sheets are highly repetitive XML, which level 1 shrinks to about a
 * twelfth already, at several times the speed of the default level.
 */
const LEVEL = constants.Z_BEST_SPEED;

function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time:
      (date.getUTCHours() << 11) |
      (date.getUTCMinutes() << 5) |
      Math.floor(date.getUTCSeconds() / 2),
    day:
      ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * A zip file of the entries, written as read: each entry's data is deflated as its text comes,
 * its sizes and checksum follow it in a data descriptor, and the central directory ends the file.
 */
async function* zipFile(
  entries: Iterable<[name: string, text: AsyncIterable<string> | string]>,
): AsyncGenerator<Buffer> {
  const { time, day } = dosDateTime(new Date());
  const written: ZipEntry[] = [];
  let offset = 0;
  for (const [fileName, text] of entries) {
    const name = Buffer.from(fileName, "utf8");
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(UTF8_NAMES_AND_DESCRIPTOR, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(day, 12);
    header.writeUInt16LE(name.length, 26);
    const entry: ZipEntry = { name, crc: 0, compressed: 0, size: 0, offset };
    yield Buffer.concat([header, name]);
    offset += header.length + name.length;

    if (typeof text === "string") {
      const bytes = Buffer.from(text, "utf8");
      const data = deflateRawSync(bytes, { level: LEVEL });
      entry.crc = crc32(bytes);
      entry.size = bytes.length;
      entry.compressed = data.length;
      yield data;
    } else {
      const deflate = createDeflateRaw({ level: LEVEL });
      async function* counted(): AsyncGenerator<Buffer> {
        for await (const part of text) {
          const bytes = Buffer.from(part, "utf8");
          entry.crc = crc32(bytes, entry.crc);
          entry.size += bytes.length;
          if (entry.size > ZIP_LIMIT)
            throw new Error(
              `the sheet ${fileName} is larger than an XLSX file can hold (4 GiB of XML)`,
            );
          yield bytes;
        }
      }
      // One chunk of text at a time: nothing is read ahead of what the client takes.
      const fed = pipeline(Readable.from(counted(), { highWaterMark: 1 }), deflate);
      // Awaited below; a consumer that stops early ends the pipeline, which is no failure then.
      fed.catch(() => {});
      for await (const data of deflate as AsyncIterable<Buffer>) {
        entry.compressed += data.length;
        yield data;
      }
      await fed;
    }
    offset += entry.compressed;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    yield descriptor;
    offset += descriptor.length;
    if (offset > ZIP_LIMIT)
      throw new Error("the workbook is larger than an XLSX file can hold (4 GiB)");
    written.push(entry);
  }
  const directory: Buffer[] = [];
  for (const entry of written) {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8_NAMES_AND_DESCRIPTOR, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(day, 14);
    header.writeUInt32LE(entry.crc, 16);
    header.writeUInt32LE(entry.compressed, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt32LE(entry.offset, 42);
    directory.push(header, entry.name);
  }
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([...directory, end]);
}

/** The bytes of a workbook, produced as they are read. */
export function xlsxBytes(book: XlsxWorkbook): AsyncGenerator<Buffer> {
  const sheets = book.sheets;
  const overrides = sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join("");
  const contentTypes =
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    overrides +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    "</Types>";
  const rootRels =
    `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
    "</Relationships>";
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const core =
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlText(book.creator)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${now}</dcterms:modified>` +
    "</cp:coreProperties>";
  const app =
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
    "<Application>Microsoft Excel</Application></Properties>";
  const workbook =
    `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>` +
    sheets
      .map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("") +
    "</sheets></workbook>";
  const workbookRels =
    `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
    sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join("") +
    `<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/>` +
    "</Relationships>";
  return zipFile([
    ["[Content_Types].xml", contentTypes],
    ["_rels/.rels", rootRels],
    ["docProps/core.xml", core],
    ["docProps/app.xml", app],
    ["xl/workbook.xml", workbook],
    ["xl/_rels/workbook.xml.rels", workbookRels],
    ["xl/styles.xml", STYLES],
    ...sheets.map((sheet, i): [string, AsyncIterable<string>] => [
      `xl/worksheets/sheet${i + 1}.xml`,
      sheetXml(sheet),
    ]),
  ]);
}
