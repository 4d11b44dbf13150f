import { NavLink } from "@remix-run/react";
import type { Formatters } from "./format";

/** Links between a group's staff pages; `query` keeps the survey and filters of the view. */
export function GroupNav({ group, query, f }: { group: string; query: string; f: Formatters }) {
  const { t } = f;
  const base = `/staff/groups/${encodeURIComponent(group)}`;
  const q = query ? `?${query}` : "";
  const links: Array<[string, string, boolean]> = [
    [`${base}${q}`, t("dashboard.nav.dashboard"), true],
    [`${base}/texts${q}`, t("dashboard.nav.texts"), false],
    [`${base}/themes`, t("dashboard.nav.themes"), false],
    [`${base}/report${q}`, t("dashboard.nav.report"), false],
    [`${base}/surveys`, t("manage.nav.surveys"), false],
    ["/staff/overview", t("dashboard.nav.overview"), false],
  ];
  return (
    <nav aria-label={t("dashboard.nav.label")} className="group-nav no-print">
      <ul>
        {links.map(([to, label, end]) => (
          <li key={label}>
            <NavLink to={to} end={end}>
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The jump links at the top of a long page. */
export function Contents({
  items,
  f,
}: {
  items: Array<[id: string, label: string]>;
  f: Formatters;
}) {
  return (
    <nav aria-labelledby="contents-title" className="contents no-print">
      <h2 id="contents-title" className="contents__title">
        {f.t("dashboard.contents")}
      </h2>
      <ul>
        {items.map(([id, label]) => (
          <li key={id}>
            <a href={`#${id}`}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
