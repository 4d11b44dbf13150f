import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { useHydrated } from "~/components/dashboard/format";
import { TableWrap } from "~/components/dashboard/table-wrap";
import { useI18n } from "~/i18n/react";

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

/**
 * A chart and the table of its figures. The table is always rendered (it is what readers
 * without JavaScript, screen readers and print get); the chart appears after hydration,
 * hidden from assistive technology because the table carries the same figures.
 */
export function ChartFigure({
  chart,
  children,
  className,
}: {
  chart: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const hydrated = useHydrated();
  const loading = useContext(ChartLoading);
  const { ref, near } = useNearViewport(loading === "lazy");
  const { t } = useI18n();
  return (
    <figure className={`chart-figure${className ? ` ${className}` : ""}`} ref={ref}>
      {hydrated && near ? (
        <div className="chart-figure__chart" aria-hidden="true">
          {chart}
        </div>
      ) : null}
      <p className="visually-hidden">{t("dashboard.chartNote")}</p>
      <TableWrap>{children}</TableWrap>
    </figure>
  );
}

/** Shortens a long axis label; the table has the full text. */
export function shorten(label: string, max = 30): string {
  return label.length > max ? `${label.slice(0, max - 1).trimEnd()}…` : label;
}
