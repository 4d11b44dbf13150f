import { NavLink } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

/** The tabs of one survey's management pages. */
export function SurveyNav({ base }: { base: string }) {
  const { t } = useI18n();
  const items = [
    { to: base, label: t("manage.nav.overview"), end: true },
    { to: `${base}/edit`, label: t("manage.nav.edit") },
    { to: `${base}/preview`, label: t("manage.nav.preview") },
    { to: `${base}/invitations`, label: t("manage.nav.invitations") },
    { to: `${base}/emails`, label: t("manage.nav.emails") },
    { to: `${base}/consensus`, label: t("delphi.consensus.nav") },
  ];
  return (
    <nav aria-label={t("manage.nav.surveyNav")} className="survey-nav">
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end} prefetch="intent">
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
