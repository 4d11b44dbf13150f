import {
  createContext,
  type ReactNode,
  type RefObject,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";
import { formatters, useHydrated } from "~/components/dashboard/format";
import { TableWrap } from "~/components/dashboard/table-wrap";
import { useI18n } from "~/i18n/react";
import { chartFileName, chartSvgDocument, type LegendEntry } from "./chart-export";

/** Colours of chart series: distinguishable, and at least 3:1 against white. */
export const SERIES_COLOURS = [
  "#0b5cad",
  "#b35900",
  "#2e7d32",
  "#6a3d9a",
  "#8a6100",
  "#b3261e",
] as const;

/**
 * "lazy" (dashboards): a chart is drawn when it comes near the viewport, so that a page with
 * dozens of charts hydrates quickly; "eager" (reports, printed as a whole): every chart at once.
 */
export const ChartLoading = createContext<"lazy" | "eager">("lazy");

function useNearViewport(enabled: boolean) {
  const ref = useRef<HTMLElement>(null);
  const [near, setNear] = useState(!enabled);
  useEffect(() => {
    if (!enabled || near) return;
    const element = ref.current;
    if (!element || typeof IntersectionObserver === "undefined") {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(element);
    const all = () => setNear(true);
    window.addEventListener("beforeprint", all);
    return () => {
      observer.disconnect();
      window.removeEventListener("beforeprint", all);
    };
  }, [enabled, near]);
  return { ref, near };
}

/** Offers a file to the browser's downloads. */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart's SVG file as text, or null while it is not drawn. */
function chartSvg(
  figure: HTMLElement,
  title: string,
  lines: string[],
): { svg: string; width: number; height: number } | null {
  const surface = figure.querySelector<SVGSVGElement>(
    ".chart-figure__chart .recharts-wrapper > svg.recharts-surface",
  );
  if (!surface) return null;
  const box = surface.getBoundingClientRect();
  const legend: LegendEntry[] = [];
  figure.querySelectorAll(".chart-figure__chart .recharts-legend-item").forEach((item) => {
    const label = item.querySelector(".recharts-legend-item-text")?.textContent?.trim() ?? "";
    const colour =
      item.querySelector("path, rect")?.getAttribute("fill") ??
      (item.querySelector(".recharts-legend-item-text") as HTMLElement | null)?.style.color ??
      "#1b1f24";
    if (label) legend.push({ label, colour });
  });
  // A legend above the plot leaves its height empty in the SVG: the image has its own legend.
  const legendBox = figure
    .querySelector(".chart-figure__chart .recharts-legend-wrapper")
    ?.getBoundingClientRect();
  const cropTop =
    legend.length && legendBox && legendBox.top - box.top < 16 ? legendBox.bottom - box.top : 0;
  const file = chartSvgDocument({
    chart: new XMLSerializer().serializeToString(surface),
    width: box.width,
    height: box.height,
    title,
    lines,
    legend,
    cropTop,
    footer: figure.querySelector(".chart-figure__note")?.textContent?.trim() || undefined,
  });
  const size = file.match(/^<svg[^>]*width="(\d+)" height="(\d+)"/);
  return {
    svg: file,
    width: Number(size?.[1] ?? box.width),
    height: Number(size?.[2] ?? box.height),
  };
}

/**
 * Draws an SVG file on a canvas at twice its size (sharp on slides) and gives the PNG. The
 * image comes from a data: address, which the pages' Content-Security-Policy allows.
 */
async function pngOf(svg: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error("the chart could not be drawn"));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const scale = 2;
  const canvas = document.createElement("canvas");
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no canvas");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"),
  );
}

/**
 * "Download SVG" and "Download PNG" of a drawn chart: the image has the chart's title (the
 * table's caption), its base and the date, in the page's language. Rendered only with
 * JavaScript, when the chart is drawn (docs/decisions/055-chart-downloads.md).
 */
function ChartDownloads({
  figure,
  base,
}: {
  figure: RefObject<HTMLElement | null>;
  base?: string;
}) {
  const { locale, t } = useI18n();
  const [title, setTitle] = useState("");
  useEffect(() => {
    setTitle(figure.current?.querySelector("caption")?.textContent?.trim() ?? "");
  }, [figure]);
  const download = async (kind: "svg" | "png") => {
    const element = figure.current;
    if (!element) return;
    const now = new Date();
    const heading = element.querySelector("caption")?.textContent?.trim() ?? title;
    // The page's heading (the working group, the report) says what the figures are about.
    const page = document.querySelector("h1")?.textContent?.trim();
    const lines = [
      ...(page ? [page] : []),
      [
        base ? t("dashboard.chart.base", { n: base }) : null,
        t("dashboard.chart.date", { date: formatters(locale, t, 0).date(now) }),
      ]
        .filter(Boolean)
        .join(" · "),
    ];
    const image = chartSvg(element, heading, lines);
    if (!image) return;
    if (kind === "svg") {
      save(
        new Blob([image.svg], { type: "image/svg+xml;charset=utf-8" }),
        chartFileName(heading, now, "svg"),
      );
    } else {
      save(await pngOf(image.svg, image.width, image.height), chartFileName(heading, now, "png"));
    }
  };
  const of = title ? (
    <span className="visually-hidden"> {t("dashboard.chart.downloadOf", { title })}</span>
  ) : null;
  return (
    <p className="chart-figure__downloads no-print">
      <button type="button" onClick={() => void download("svg")}>
        {t("dashboard.chart.downloadSvg")}
        {of}
      </button>{" "}
      <button type="button" onClick={() => void download("png")}>
        {t("dashboard.chart.downloadPng")}
        {of}
      </button>
    </p>
  );
}

/**
 * A chart and the table of its figures. The table is always rendered (it is what readers
 * without JavaScript, screen readers and print get); the chart appears after hydration,
 * hidden from assistive technology because the table carries the same figures, with buttons
 * that download it as SVG or PNG. `base`: the n the chart rests on, printed in the images.
 */
export function ChartFigure({
  chart,
  children,
  className,
  base,
  note,
}: {
  chart: ReactNode;
  children: ReactNode;
  className?: string;
  base?: string;
  /** A line under the chart (e.g. what its markers mean). */
  note?: ReactNode;
}) {
  const hydrated = useHydrated();
  const loading = useContext(ChartLoading);
  const { ref, near } = useNearViewport(loading === "lazy");
  const { t } = useI18n();
  return (
    <figure className={`chart-figure${className ? ` ${className}` : ""}`} ref={ref}>
      {hydrated && near ? (
        <>
          <div className="chart-figure__chart" aria-hidden="true">
            {chart}
          </div>
          {/* It explains the chart's markers; the table, which screen readers get, has none. */}
          {note ? (
            <p className="hint chart-figure__note" aria-hidden="true">
              {note}
            </p>
          ) : null}
          <ChartDownloads figure={ref} base={base} />
        </>
      ) : null}
      <p className="visually-hidden">{t("dashboard.chartNote")}</p>
      <TableWrap>{children}</TableWrap>
    </figure>
  );
}
