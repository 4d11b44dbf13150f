import { type ReactNode, useContext, useEffect, useState } from "react";
import { ChartFigure, ChartLoading } from "~/components/charts/chart-figure";
import { useI18n } from "~/i18n/react";

// Set once the page has hydrated: figures mounted later (sections loaded when reached) start
// closed at once instead of opening for one render.
let pageHydrated = false;

/**
 * The table of a chart's figures behind "Show table": a `<details>` element, which opens and
 * closes without JavaScript and whose summary is a button for screen readers and keyboards.
 * `openWithoutScript`: the chart is drawn in the browser, so until the page has hydrated (and
 * for readers without JavaScript) the table is open: it is then the only form of the figures.
 * Printed reports (charts loaded eagerly) show the table as it is.
 */
export function ShowTable({
  children,
  openWithoutScript = false,
}: {
  children: ReactNode;
  openWithoutScript?: boolean;
}) {
  const { t } = useI18n();
  const eager = useContext(ChartLoading) === "eager";
  const [hydrated, setHydrated] = useState(pageHydrated);
  useEffect(() => {
    pageHydrated = true;
    setHydrated(true);
  }, []);
  if (eager) return <>{children}</>;
  return (
    <details className="show-table" open={openWithoutScript && !hydrated ? true : undefined}>
      <summary>{t("dashboard.showTable")}</summary>
      {children}
    </details>
  );
}

/** A chart drawn in the browser, with the table of its figures behind "Show table". */
export function FigureWithTable({
  chart,
  children,
  className,
  base,
  note,
}: {
  chart: ReactNode;
  children: ReactNode;
  className?: string;
  /** The base of the figures ("Base: n = …"), written into downloaded images. */
  base?: string;
  /** A line under the chart (e.g. what its markers mean). */
  note?: ReactNode;
}) {
  return (
    <ChartFigure chart={chart} className={className} base={base} note={note}>
      <ShowTable openWithoutScript>{children}</ShowTable>
    </ChartFigure>
  );
}
