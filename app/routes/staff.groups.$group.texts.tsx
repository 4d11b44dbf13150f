import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FilterSummary } from "~/components/dashboard/filters";
import { type Formatters, textKindKey, useFormatters } from "~/components/dashboard/format";
import { GroupNav } from "~/components/dashboard/layout";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { localized, type MessageKey } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { requireGroupAccess, safeRedirect } from "~/server/auth.server";
import { findGroup } from "~/server/working-groups.server";
import { freeTextsPage, positiveInt } from "~/server/dashboards/free-texts.server";
import { type FreeTextItem, tagAnswer, untagAnswer } from "~/server/themes.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  await requireGroupAccess(request, context, slug);
  return freeTextsPage(context, slug, new URL(request.url));
}

type ActionError = { answerId: string; message: MessageKey };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const form = await request.formData();
  const intent = form.get("intent");
  const answerId = String(form.get("answer") ?? "");
  const back = safeRedirect(form.get("back"), `/staff/groups/${group.slug}/texts`);
  const returnTo = (notice: string) => {
    const url = new URL(back, "http://x");
    if (!url.pathname.startsWith(`/staff/groups/${group.slug}/texts`))
      return `/staff/groups/${group.slug}/texts?notice=${notice}`;
    url.searchParams.set("notice", notice);
    return `${url.pathname}?${url.searchParams}#answer-${answerId}`;
  };
  const options = { by: user, ip: context.clientIp };

  if (intent === "tag") {
    const newTheme = String(form.get("new_theme") ?? "").trim();
    const themeId = positiveInt(String(form.get("theme") ?? ""));
    if (!newTheme && !themeId) {
      return data(
        { error: { answerId, message: "dashboard.texts.errors.chooseTheme" } as ActionError },
        { status: 400 },
      );
    }
    const result = await tagAnswer(
      context.db,
      group.id,
      answerId,
      newTheme ? { name: newTheme } : { id: themeId! },
      options,
    );
    if (!result.ok)
      return data({ error: { answerId, message: result.error } as ActionError }, { status: 400 });
    return redirect(returnTo("tagged"));
  }
  if (intent === "untag") {
    const themeId = positiveInt(String(form.get("theme") ?? ""));
    if (!themeId) throw new Response("Missing theme", { status: 400 });
    const result = await untagAnswer(context.db, group.id, answerId, themeId, options);
    if (!result.ok)
      return data({ error: { answerId, message: result.error } as ActionError }, { status: 400 });
    return redirect(returnTo("untagged"));
  }
  throw new Response("Unknown intent", { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: pageTitle(matches, "dashboard.texts.title", {
        group: localized(data?.group.name, locale),
      }),
    },
  ];
};

function TextItem({
  item,
  questionLabel,
  categoryLabel,
  themes,
  back,
  error,
  f,
}: {
  item: FreeTextItem;
  questionLabel: string;
  categoryLabel: (questionKey: string, code: string | null) => Record<string, string> | undefined;
  themes: Array<{ id: number; name: string }>;
  back: string;
  error: MessageKey | null;
  f: Formatters;
}) {
  const { t } = f;
  const id = `answer-${item.answerId}`;
  const available = themes.filter((th) => !item.themes.some((x) => x.id === th.id));
  const languageName = (() => {
    try {
      return new Intl.DisplayNames([f.locale], { type: "language" }).of(item.locale) ?? item.locale;
    } catch {
      return item.locale;
    }
  })();
  return (
    <li>
      <article className="card text-item" id={id} aria-labelledby={`${id}-title`} tabIndex={-1}>
        <h2 className="text-item__question" id={`${id}-title`}>
          <span className="text-kind">{t(textKindKey(item.kind))}</span> {questionLabel}
        </h2>
        {item.need ? (
          <p className="text-item__need">
            <strong lang={item.locale}>{item.need.title}</strong>
            <br />
            <span className="muted">
              {f.text(
                categoryLabel(item.questionKey, item.need.category),
                item.need.category ?? "",
              )}
              {item.need.horizon
                ? ` · ${t(`dashboard.horizonsShort.${item.need.horizon as "short_term" | "medium_term"}`)}`
                : ""}
            </span>
          </p>
        ) : null}
        {item.text ? (
          <blockquote className="text-item__text" lang={item.locale}>
            {item.text}
          </blockquote>
        ) : null}
        <p className="meta">
          {item.submittedAt
            ? t("dashboard.texts.submitted", { date: f.date(new Date(item.submittedAt)) })
            : null}{" "}
          · {t("dashboard.texts.language", { language: languageName })}
        </p>
        <div className="text-item__tags">
          <h3 className="text-item__tags-title">{t("dashboard.texts.tags")}</h3>
          {item.themes.length === 0 ? (
            <p className="muted">{t("dashboard.texts.noTags")}</p>
          ) : (
            <ul className="tag-list">
              {item.themes.map((th) => (
                <li key={th.id} className="tag">
                  <span>{th.name}</span>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="answer" value={item.answerId} />
                    <input type="hidden" name="theme" value={th.id} />
                    <input type="hidden" name="back" value={back} />
                    <button
                      type="submit"
                      name="intent"
                      value="untag"
                      className="link"
                      aria-label={t("dashboard.texts.removeLabel", { theme: th.name })}
                    >
                      {t("dashboard.texts.remove")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="tag-form" aria-label={t("dashboard.texts.tagHeading")}>
            <input type="hidden" name="answer" value={item.answerId} />
            <input type="hidden" name="back" value={back} />
            {error ? (
              <p className="field-error" id={`${id}-error`} role="alert">
                {t(error)}
              </p>
            ) : null}
            <div className="tag-form__fields">
              {available.length ? (
                <div className="field">
                  <label htmlFor={`${id}-theme`}>{t("dashboard.texts.existingTheme")}</label>
                  <select
                    id={`${id}-theme`}
                    name="theme"
                    defaultValue=""
                    aria-describedby={error ? `${id}-error` : undefined}
                  >
                    <option value="">{t("dashboard.texts.chooseTheme")}</option>
                    {available.map((th) => (
                      <option key={th.id} value={th.id}>
                        {th.name}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              <div className="field">
                <label htmlFor={`${id}-new`}>
                  {available.length
                    ? t("dashboard.texts.newTheme")
                    : t("dashboard.texts.newThemeOnly")}
                </label>
                <input
                  type="text"
                  id={`${id}-new`}
                  name="new_theme"
                  maxLength={80}
                  autoComplete="off"
                  aria-describedby={error ? `${id}-error` : undefined}
                />
              </div>
              <button type="submit" name="intent" value="tag" className="secondary">
                {t("dashboard.texts.tag")}
              </button>
            </div>
          </Form>
        </div>
      </article>
    </li>
  );
}

export default function TextsPage() {
  const {
    group,
    survey,
    texts,
    themes,
    search,
    filters,
    ignored,
    filtered,
    filterParams,
    minCell,
    query,
    notice,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const f = useFormatters(minCell);
  const { t } = f;
  const groupName = f.text(group.name, group.slug);
  const base = `/staff/groups/${group.slug}/texts`;
  const current = new URLSearchParams({
    ...filterParams,
    ...(survey ? { survey: survey.slug } : {}),
  });
  if (search.q) current.set("q", search.q);
  if (search.question) current.set("question", search.question);
  if (search.theme) current.set("theme", search.theme);
  const pageLink = (page: number) => {
    const p = new URLSearchParams(current);
    if (page > 1) p.set("page", String(page));
    return `${base}?${p}`;
  };
  const back = texts ? pageLink(texts.page) : base;
  const labelOf = (key: string) => f.text(texts?.questions.find((q) => q.key === key)?.label, key);
  const categoryLabel = (key: string, code: string | null) =>
    texts?.questions.find((q) => q.key === key)?.categories?.find((c) => c.code === code)?.label;
  const error = actionData && "error" in actionData ? actionData.error : null;
  return (
    <div className="container">
      <h1>{t("dashboard.texts.title", { group: groupName })}</h1>
      {survey ? <p className="lead">{f.text(survey.title, survey.slug)}</p> : null}
      <GroupNav group={group.slug} query={query} f={f} />
      <p>{t("dashboard.texts.intro")}</p>
      {notice && navigation.state === "idle" && !error ? (
        <p className="notice notice--ok" role="status">
          {t(`dashboard.texts.notices.${notice}`)}
        </p>
      ) : null}
      {!survey || !texts ? (
        <p className="notice">{t("dashboard.noSurvey")}</p>
      ) : (
        <>
          <Form
            method="get"
            action={base}
            className="search-form no-print"
            role="search"
            aria-label={t("dashboard.texts.search")}
          >
            <input type="hidden" name="survey" value={survey.slug} />
            {Object.entries(filterParams).map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
            <div className="filter-form__grid">
              <div className="field">
                <label htmlFor="texts-q">{t("dashboard.texts.searchLabel")}</label>
                <input
                  type="search"
                  id="texts-q"
                  name="q"
                  defaultValue={search.q}
                  maxLength={200}
                />
              </div>
              <div className="field">
                <label htmlFor="texts-question">{t("dashboard.texts.question")}</label>
                <select id="texts-question" name="question" defaultValue={search.question}>
                  <option value="">{t("dashboard.texts.allQuestions")}</option>
                  {texts.questions.map((q) => (
                    <option key={q.key} value={q.key}>
                      {f.text(q.label, q.key)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="texts-theme">{t("dashboard.texts.theme")}</label>
                <select id="texts-theme" name="theme" defaultValue={search.theme}>
                  <option value="">{t("dashboard.texts.anyTheme")}</option>
                  <option value="none">{t("dashboard.texts.noTheme")}</option>
                  {themes.map((th) => (
                    <option key={th.id} value={th.id}>
                      {th.name} ({th.answers})
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="actions">
              <button type="submit">{t("dashboard.texts.show")}</button>
            </div>
          </Form>
          {filtered || ignored.length ? (
            <FilterSummary filters={filters} ignored={ignored} choices={null} f={f} />
          ) : null}
          {texts.coverage === "small" ? (
            <p className="notice notice--warn">{t("dashboard.texts.small", { min: minCell })}</p>
          ) : (
            <>
              <p role="status">{t("dashboard.texts.count", { count: texts.total })}</p>
              {texts.items.length === 0 ? <p>{t("dashboard.texts.none")}</p> : null}
              <ol className="text-list">
                {texts.items.map((item) => (
                  <TextItem
                    key={item.answerId}
                    item={item}
                    questionLabel={labelOf(item.questionKey)}
                    categoryLabel={categoryLabel}
                    themes={themes}
                    back={back}
                    error={error && error.answerId === item.answerId ? error.message : null}
                    f={f}
                  />
                ))}
              </ol>
              {texts.pages > 1 ? (
                <nav aria-label={t("dashboard.texts.pagination")} className="pagination">
                  <ul>
                    {texts.page > 1 ? (
                      <li>
                        <Link to={pageLink(texts.page - 1)} rel="prev">
                          {t("dashboard.texts.previous")}
                        </Link>
                      </li>
                    ) : null}
                    <li aria-current="page">
                      {t("dashboard.texts.pageOf", { page: texts.page, pages: texts.pages })}
                    </li>
                    {texts.page < texts.pages ? (
                      <li>
                        <Link to={pageLink(texts.page + 1)} rel="next">
                          {t("dashboard.texts.next")}
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                </nav>
              ) : null}
            </>
          )}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
