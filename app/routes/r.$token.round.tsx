import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { itemTitle } from "~/components/delphi/format";
import { RoundFeedback } from "~/components/delphi/round-feedback";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { localized, translator } from "~/i18n/translate";
import {
  readRoundForm,
  roundForToken,
  saveRoundAnswers,
  type RoundFieldError,
  type RoundFormValues,
} from "~/server/delphi";
import {
  formatDateTime,
  langParam,
  readForm,
  requestLocale,
  respondError,
} from "~/server/respond-view.server";
import { DELPHI_REASON_MAX_LENGTH, delphiField, ratingPoints } from "~/survey/delphi";

/**
 * A Delphi round for one participant (`:token`: their personal link or resume link): each item
 * to re-rate with the panel's previous-round result and their own previous answer beside it,
 * a rating and, when asked, a reason. Works without JavaScript; answers can be changed until
 * the round closes.
 */
async function access(request: Request, context: LoaderFunctionArgs["context"], token: string) {
  const result = await roundForToken(context.db, token, { minCell: context.env.MIN_CELL_SIZE });
  if (!result.ok && result.reason === "unknown") throw respondError(404, "response_unknown");
  const locale =
    langParam(request) ?? (result.ok ? result.holder.locale : await requestLocale(request));
  return { result, locale };
}

async function surveyTitle(
  context: LoaderFunctionArgs["context"],
  surveyId: number,
  locale: string,
) {
  const row = await context.db
    .selectFrom("surveys as s")
    .innerJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select("v.definition")
    .where("s.id", "=", surveyId)
    .executeTakeFirst();
  const def = row?.definition as { title?: Record<string, string> } | undefined;
  return def?.title ? localized(def.title, locale) : "";
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { result, locale } = await access(request, context, token);
  const messages = messagesOf(locale, [...RESPOND_NAMESPACES, "delphi"]);
  if (!result.ok) {
    return data(
      {
        state: "unavailable" as const,
        reason: result.reason as "no_round" | "not_eligible",
        locale,
        messages,
      },
      { status: result.reason === "no_round" ? 404 : 403 },
    );
  }
  const savedAt = result.saved ? formatDateTime(result.saved.submittedAt, locale) : null;
  return {
    state: "open" as const,
    locale,
    messages,
    title: await surveyTitle(context, result.holder.surveyId, locale),
    round: result.round.round,
    closes: result.round.closesAt ? formatDateTime(result.round.closesAt, locale) : null,
    newcomer: result.newcomer,
    reasons: result.reasons,
    feedback: result.feedback,
    saved: result.saved ? { at: savedAt, answers: result.saved.answers } : null,
    justSaved: new URL(request.url).searchParams.get("saved") === "1",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request);
  const { result, locale } = await access(request, context, token);
  // The round closed (or the participant was removed) while the page was open.
  if (!result.ok) throw respondError(410, "closed");
  const { values, errors, answers } = readRoundForm(form, result);
  if (Object.keys(errors).length > 0) {
    return data({ errors, values }, { status: 400 });
  }
  await saveRoundAnswers(context.db, result, answers, locale);
  return redirect(`/r/${token}/round?lang=${locale}&saved=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => {
  if (!d) return [{ title: "Needsmap" }];
  const t = translator(d.locale, d.messages);
  if (d.state !== "open")
    return [{ title: `${t(`delphi.round.unavailable.${d.reason}`)} — Needsmap` }];
  return [{ title: `${t("delphi.round.title", { round: d.round, survey: d.title })} — Needsmap` }];
};

function errorText(
  t: ReturnType<typeof translator>,
  error: RoundFieldError,
  f: { min: number; max: number; panel: { q1: number; q3: number } | null },
  locale: string,
): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  if (error === "rating") return t("delphi.round.errors.rating", { min: f.min, max: f.max });
  if (error === "reason_long")
    return t("delphi.round.errors.reason_long", { max: DELPHI_REASON_MAX_LENGTH });
  return t("delphi.round.errors.reason_required", {
    q1: n.format(f.panel?.q1 ?? 0),
    q3: n.format(f.panel?.q3 ?? 0),
  });
}

export default function Round() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    { errors: Record<string, RoundFieldError>; values: RoundFormValues } | undefined;
  const t = translator(d.locale, d.messages);
  if (d.state !== "open") {
    return (
      <div className="container narrow">
        <h1>{t(`delphi.round.unavailable.${d.reason}`)}</h1>
      </div>
    );
  }
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const n = new Intl.NumberFormat(d.locale, { maximumFractionDigits: 2 });
  const slug = (id: string) => id.replace(/[^a-z0-9_-]/gi, "-");
  const errorItems = d.feedback.filter((f) => errors[f.item.id]);
  return (
    <div className="container delphi-round">
      <p className="eyebrow">{d.title}</p>
      <h1>{t("delphi.round.title", { round: d.round, survey: d.title })}</h1>
      {d.justSaved && d.saved && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("delphi.round.saved", { round: d.round, date: d.saved.at ?? "" })}
        </p>
      ) : null}
      {errorItems.length > 0 ? (
        <div
          className="error-summary"
          role="alert"
          aria-labelledby="round-errors-title"
          tabIndex={-1}
        >
          <h2 id="round-errors-title">{t("delphi.round.errorsHeading")}</h2>
          <ul>
            {errorItems.map((f) => (
              <li key={f.item.id}>
                <a href={`#item-${slug(f.item.id)}`}>
                  {itemTitle(f.item, d.locale, t)}: {errorText(t, errors[f.item.id], f, d.locale)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>{t("delphi.round.intro")}</p>
      {d.newcomer ? <p className="notice">{t("delphi.round.newcomer")}</p> : null}
      <p>{d.closes ? t("delphi.round.closes", { date: d.closes }) : t("delphi.round.noClose")}</p>
      <Form method="post" noValidate>
        {d.feedback.map((f) => {
          const id = slug(f.item.id);
          const ratingName = delphiField(f.item.id, "rating");
          const reasonName = delphiField(f.item.id, "reason");
          const savedAnswer = d.saved?.answers[f.item.id];
          const own = f.own !== null && Number.isInteger(f.own) ? String(f.own) : "";
          const checked =
            values?.ratings[f.item.id] ?? (savedAnswer ? String(savedAnswer.value) : own);
          const error = errors[f.item.id];
          const ends =
            f.minLabel || f.maxLabel
              ? t("delphi.round.scaleEnds", {
                  min: f.min,
                  max: f.max,
                  minLabel: f.minLabel ? localized(f.minLabel, d.locale) : String(f.min),
                  maxLabel: f.maxLabel ? localized(f.maxLabel, d.locale) : String(f.max),
                })
              : null;
          const describedBy = [`fb-${id}`, ends ? `ends-${id}` : null, error ? `err-${id}` : null]
            .filter(Boolean)
            .join(" ");
          return (
            <section key={f.item.id} className="delphi-round-item" aria-labelledby={`title-${id}`}>
              <h2 id={`title-${id}`} className="delphi-round-item__title">
                {itemTitle(f.item, d.locale, t)}
              </h2>
              <div className="delphi-round-item__body">
                <div className="delphi-round-item__question">
                  <fieldset
                    id={`item-${id}`}
                    tabIndex={-1}
                    className={`field${error ? " field--invalid" : ""}`}
                    aria-describedby={describedBy}
                  >
                    <legend>{t("delphi.round.yourRating", { round: d.round })}</legend>
                    {ends ? (
                      <p className="hint" id={`ends-${id}`}>
                        {ends}
                      </p>
                    ) : null}
                    {error ? (
                      <p className="field-error" id={`err-${id}`}>
                        {errorText(t, error, f, d.locale)}
                      </p>
                    ) : null}
                    <div className="radios radios--inline">
                      {ratingPoints(f).map((p) => (
                        <label key={p} className="choice">
                          <input
                            type="radio"
                            name={ratingName}
                            value={p}
                            defaultChecked={checked === String(p)}
                          />{" "}
                          {p}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  {d.reasons !== "off" ? (
                    <div className="field">
                      <label htmlFor={`reason-${id}`}>
                        {d.reasons === "required" && f.panel
                          ? t("delphi.round.reasonRequired", {
                              q1: n.format(f.panel.q1),
                              q3: n.format(f.panel.q3),
                            })
                          : t("delphi.round.reasonOptional")}
                      </label>
                      <p className="hint" id={`reason-hint-${id}`}>
                        {t("delphi.round.reasonHint")}
                      </p>
                      <textarea
                        id={`reason-${id}`}
                        name={reasonName}
                        rows={2}
                        maxLength={DELPHI_REASON_MAX_LENGTH}
                        aria-describedby={`reason-hint-${id}`}
                        defaultValue={values?.reasons[f.item.id] ?? savedAnswer?.reason ?? ""}
                      />
                    </div>
                  ) : null}
                </div>
                <RoundFeedback view={f} locale={d.locale} t={t} id={`fb-${id}`} />
              </div>
            </section>
          );
        })}
        <p>
          <button type="submit">{t("delphi.round.submit")}</button>
        </p>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
