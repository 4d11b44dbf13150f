import { inflateSync } from "node:zlib";

/**
 * Just enough of PDF reading for the printed reports: the pages of a PDF as Chromium writes it
 * (`page.pdf()`: plain objects, Flate streams, Identity-H fonts with ToUnicode maps) and the text
 * on each page, read through the fonts' maps.
 */
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    const body = text.slice(start, end);
    const s = body.indexOf("stream");
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && /\/Length (\d+)/.test(body.slice(0, s))) {
      dict = body.slice(0, s);
      const length = Number(/\/Length (\d+)/.exec(dict)![1]);
      let from = start + s + "stream".length;
      if (text[from] === "\r") from++;
      if (text[from] === "\n") from++;
      const raw = pdf.subarray(from, from + length);
      stream = dict.includes("/FlateDecode") ? inflateSync(raw) : raw;
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

const ref = (dict: string, key: string): number[] => {
  const m = new RegExp(`/${key}\\s*(\\[[^\\]]*\\]|\\d+ 0 R)`).exec(dict);
  return m ? [...m[1].matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1])) : [];
};

function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const hex = (h: string) =>
    String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, src, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(src.toUpperCase(), hex(dst));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, a, b, dst] of block[1].matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g,
    )) {
      const from = parseInt(a, 16);
      const base = parseInt(dst, 16);
      for (let c = from; c <= parseInt(b, 16); c++)
        map.set(
          c.toString(16).toUpperCase().padStart(a.length, "0"),
          String.fromCodePoint(base + c - from),
        );
    }
  return map;
}

/** The text of each page, in drawing order; text objects are separated by a space. */
export function pdfPageTexts(pdf: Buffer): string[] {
  const objs = objects(pdf);
  const pages = [...objs.values()].filter((o) => /\/Type\s*\/Page[^s]/.test(o.dict));
  return pages.map((page) => {
    const resources = /\/Resources\s*(\d+) 0 R/.exec(page.dict)
      ? (objs.get(Number(/\/Resources\s*(\d+) 0 R/.exec(page.dict)![1]))?.dict ?? "")
      : page.dict;
    const fontDict = /\/Font\s*(\d+) 0 R/.exec(resources)
      ? (objs.get(Number(/\/Font\s*(\d+) 0 R/.exec(resources)![1]))?.dict ?? "")
      : (/\/Font\s*<<([^>]*)>>/.exec(resources)?.[1] ?? "");
    const fonts = new Map<string, Map<string, string>>();
    for (const [, name, num] of fontDict.matchAll(/\/(\S+?)\s+(\d+) 0 R/g)) {
      const font = objs.get(Number(num));
      const cmap = font ? ref(font.dict, "ToUnicode")[0] : undefined;
      const stream = cmap !== undefined ? objs.get(cmap)?.stream : null;
      fonts.set(name, stream ? toUnicode(stream.toString("latin1")) : new Map());
    }
    let out = "";
    for (const c of ref(page.dict, "Contents")) {
      const content = objs.get(c)?.stream?.toString("latin1") ?? "";
      let font = new Map<string, string>();
      for (const m of content.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b/g)) {
        if (m[1]) font = fonts.get(m[1]) ?? new Map();
        else if (m[2] !== undefined)
          for (const g of m[2].match(/.{4}/g) ?? []) out += font.get(g.toUpperCase()) ?? "";
        else out += " ";
      }
    }
    // NFKC: ligatures (ﬁ) as their letters.
    return out.normalize("NFKC").replace(/\s+/g, " ").trim();
  });
}

/** The number of pages of a PDF. */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}
