import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { localized } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import { listOpenSurveys, listWorkingGroups } from "~/server/surveys.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const [groups, surveys] = await Promise.all([listWorkingGroups(context.db), listOpenSurveys(context.db)]);
  return {
    groups: groups.map((g) => ({
      slug: g.slug,
      name: g.name,
      description: g.description,
      surveys: surveys.filter((s) => s.workingGroupSlug === g.slug),
    })),
  };
}

export const meta: MetaFunction = () => [{ title: "Needsmap" }];

export default function Home() {
  const { groups } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  return (
    <div className="container">
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>
      <ul className="group-list">
        {groups.map((g) => (
          <li key={g.slug} className="card group-card" id={`group-${g.slug}`}>
            <h2>{localized(g.name, locale)}</h2>
            <p>{localized(g.description, locale)}</p>
            <h3 className="visually-hidden">{t("home.openSurveys")}</h3>
            {g.surveys.length === 0 ? (
              <p className="muted">{t("home.noOpenSurveys")}</p>
            ) : (
              <ul className="survey-list">
                {g.surveys.map((s) => (
                  <li key={s.slug}>
                    <Link to={`/s/${s.slug}`} className="survey-link">
                      {localized(s.title, locale)}
                    </Link>
                    <span className="meta">
                      {s.estimatedMinutes
                        ? t("home.estimated", { minutes: t("common.minutes", { count: s.estimatedMinutes }) })
                        : null}
                      {s.accessMode === "invitation_only" ? <> · {t("home.invitationOnly")}</> : null}
                      {s.closesAt ? <> · {t("home.closesOn", { date: dateFormat.format(new Date(s.closesAt)) })}</> : null}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
