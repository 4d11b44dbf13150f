import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/register/fields";
import { FiguresText, RegisterNav } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { localized } from "~/i18n/translate";
import { requireGroupAccess } from "~/server/auth.server";
import { findGroup } from "~/server/working-groups.server";
import { inLocale } from "~/i18n/in-locale";
import { listGroupSurveys } from "~/server/dashboards/survey.server";
import { type FigureChoice, figureChoices } from "~/server/need-evidence.server";
import { evidenceQuery } from "~/survey/register";

/**
 * What a coordinator can add to the register from a group's survey. A row's link is the address
 * a dashboard figure links to: /staff/needs/new?group=…&survey=…&kind=…&question=…&code=….
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const slug = url.searchParams.get("group") ?? "";
  await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const surveySlug = url.searchParams.get("survey");
  const [surveys, choices] = await Promise.all([
    listGroupSurveys(context.db, group.id),
    figureChoices(context.db, group.slug, surveySlug, context.env.MIN_CELL_SIZE),
  ]);
  if (surveySlug && !choices) throw new Response("", { status: 404, statusText: "Not Found" });
  const { locale } = await resolveLocale(request);
  return {
    group: inLocale(group, locale),
    surveys: inLocale(surveys, locale),
    choices: choices ? inLocale(choices, locale) : null,
    minCell: context.env.MIN_CELL_SIZE,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: pageTitle(matches, "register.figures.title", {
        group: localized(data?.group.name, locale),
      }),
    },
  ];
};

function ChoiceTable({
  id,
  caption,
  rows,
  withQuestion,
  minCell,
}: {
  id: string;
  caption: string;
  rows: FigureChoice[];
  withQuestion: boolean;
  minCell: number;
}) {
  const f = useFormatters(minCell);
  const { t } = f;
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{caption}</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("register.figures.item")}</th>
              {withQuestion ? <th scope="col">{t("register.figures.question")}</th> : null}
              <th scope="col">{t("register.detail.atLinking")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("register.figures.add")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.ref.kind}:${r.ref.question}:${r.ref.code}`}>
                <th scope="row">{f.text(r.label, r.ref.code)}</th>
                {withQuestion ? <td>{f.text(r.question, r.ref.question)}</td> : null}
                <td>
                  <FiguresText figures={r.figures} minCell={minCell} />
                </td>
                <td>
                  <Link
                    to={`/staff/needs/new?${evidenceQuery(r.ref)}`}
                    aria-label={t("register.figures.addNamed", {
                      label: f.text(r.label, r.ref.code),
                    })}
                  >
                    {t("register.figures.add")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default function FiguresPage() {
  const { group, surveys, choices, minCell } = useLoaderData<typeof loader>();
  const f = useFormatters(minCell);
  const { t } = f;
  const name = f.text(group.name, group.slug);
  const empty =
    choices && choices.categories.length + choices.borich.length + choices.themes.length === 0;
  return (
    <div className="container">
      <h1>{t("register.figures.title", { group: name })}</h1>
      <RegisterNav query={`group=${group.slug}`} />
      <p className="lead">{t("register.figures.intro")}</p>
      {surveys.length > 1 ? (
        <Form method="get" className="inline-fields">
          <input type="hidden" name="group" value={group.slug} />
          <SelectField
            id="figures-survey"
            name="survey"
            label={t("register.figures.survey")}
            defaultValue={choices?.survey.slug ?? ""}
            options={surveys.map((s) => ({
              value: s.slug,
              label: `${f.text(s.title, s.slug)} (${s.slug})`,
            }))}
          />
          <button type="submit" className="secondary">
            {t("register.figures.choose")}
          </button>
        </Form>
      ) : null}
      {!choices ? (
        <p>{t("register.outcome.noSurveys")}</p>
      ) : (
        <>
          <p>
            {t("register.figures.survey")}: {f.text(choices.survey.title, choices.survey.slug)} (
            {choices.survey.slug},{" "}
            {t("register.figures.version", { version: choices.survey.version })})
          </p>
          {choices.coverage !== "ok" ? <p>{t("register.figures.noFigures")}</p> : null}
          {empty && choices.coverage === "ok" ? <p>{t("register.figures.none")}</p> : null}
          <ChoiceTable
            id="choices-categories"
            caption={t("register.figures.categories")}
            rows={choices.categories}
            withQuestion
            minCell={minCell}
          />
          <ChoiceTable
            id="choices-borich"
            caption={t("register.figures.borich")}
            rows={choices.borich}
            withQuestion
            minCell={minCell}
          />
          <ChoiceTable
            id="choices-themes"
            caption={t("register.figures.themes")}
            rows={choices.themes}
            withQuestion={false}
            minCell={minCell}
          />
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
