import { Link, useFetcher } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import type { Formatters } from "./format";

/**
 * A dashboard section that is not in the page's first HTML: a heading and a link to the whole
 * dashboard on one page (`full`, which works without JavaScript). With JavaScript, the section's
 * figures are fetched from `load` (the same loader, asked for this section only) once the
 * placeholder comes near the viewport or before printing, and `render` draws them in place.
 */
export function OnDemandSection<T>({
  id,
  title,
  full,
  load,
  render,
  f,
}: {
  id: string;
  title: string;
  /** The whole page with every section, ending in `#id`. */
  full: string;
  /** The loader's address for this section's data. */
  load: string;
  render: (data: T) => ReactNode;
  f: Formatters;
}) {
  const fetcher = useFetcher<T>();
  const ref = useRef<HTMLElement>(null);
  // Asked once per address: a failed request leaves the link to the whole page.
  const asked = useRef<string | null>(null);
  const { load: fetch, state, data } = fetcher;
  useEffect(() => {
    if (asked.current === load) return;
    const element = ref.current;
    let observer: IntersectionObserver | null = null;
    const start = () => {
      observer?.disconnect();
      if (asked.current === load) return;
      asked.current = load;
      void fetch(load);
    };
    if (!element || typeof IntersectionObserver === "undefined") {
      start();
      return;
    }
    observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) start();
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(element);
    window.addEventListener("beforeprint", start);
    return () => {
      observer?.disconnect();
      window.removeEventListener("beforeprint", start);
    };
  }, [fetch, load]);
  if (data !== undefined) return <>{render(data)}</>;
  const { t } = f;
  return (
    <section
      ref={ref}
      className="dash-section"
      aria-labelledby={`${id}-title`}
      aria-busy={state !== "idle"}
      id={id}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="hint">
        {state !== "idle"
          ? t("dashboard.onDemand.loading", { section: title })
          : t("dashboard.onDemand.note")}
      </p>
      <p>
        <Link to={full}>{t("dashboard.onDemand.show", { section: title })}</Link>
      </p>
    </section>
  );
}
