import { type ReactNode, useEffect, useId, useRef, useState } from "react";

/**
 * The horizontal scroll container of a table. A container that scrolls must be reachable by
 * keyboard, so that its hidden columns can be scrolled into view: it is then focusable, a region
 * named by the table's caption. The server renders it focusable (without JavaScript nothing
 * tells whether the table will fit the reader's screen); once hydrated it is focusable only
 * while its table is wider than the container.
 */
export function TableWrap({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const [scrolls, setScrolls] = useState(true);
  const [labelledBy, setLabelledBy] = useState<string | undefined>(undefined);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const caption = element.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = captionId;
      setLabelledBy(caption.id);
    }
    const check = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    check();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(check);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    return () => observer.disconnect();
  }, [captionId]);

  return (
    <div
      ref={ref}
      className={className ? `table-wrap ${className}` : "table-wrap"}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls && labelledBy ? "region" : undefined}
      aria-labelledby={scrolls ? labelledBy : undefined}
    >
      {children}
    </div>
  );
}
