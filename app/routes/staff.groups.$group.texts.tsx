import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useRef } from "react";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
} from "@remix-run/react";
import { FilterSummary } from "~/components/dashboard/filters";
import {
  type Formatters,
  textKindKey,
  useFormatters,
  useHydrated,
} from "~/components/dashboard/format";
import {
  BULK_FORM_ID,
  ShortcutHelp,
  useTextTagging,
} from "~/components/dashboard/text-tagging";
import { GroupNav } from "~/components/dashboard/layout";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { localized, type MessageKey } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { requireGroupAccess, safeRedirect } from "~/server/auth.server";
import { findGroup } from "~/server/working-groups.server";
import { freeTextsPage, positiveInt } from "~/server/dashboards/free-texts.server";
import {
  BULK_TAG_MAX_ANSWERS,
  BULK_TAG_MAX_THEMES,
  type FreeTextItem,
  tagAnswer,
  tagAnswers,
  untagAnswer,
  untagAnswers,
} from "~/server/themes.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  await requireGroupAccess(request, context, slug);
  return freeTextsPage(context, slug, new URL(request.url));
}

type ActionError = { answerId: string; message: MessageKey };
/** A refused bulk request, with what was posted so that the form shows it again. */
type BulkError = { message: MessageKey; answers: string[]; themes: string[]; newTheme: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const form = await request.formData();
  const intent = form.get("intent");
  const answerId = String(form.get("answer") ?? "");
  const back = safeRedirect(form.get("back"), `/staff/groups/${group.slug}/texts`);
  const returnTo = (notice: Record<string, string | string[]>, hash = `#answer-${answerId}`) => {
    const url = new URL(back, "http://x");
    if (!url.pathname.startsWith(`/staff/groups/${group.slug}/texts`)) {
      url.pathname = `/staff/groups/${group.slug}/texts`;
      url.search = "";
    }
    for (const key of ["notice", "count", "changed", "select"]) url.searchParams.delete(key);
    for (const [key, value] of Object.entries(notice)) {
      url.searchParams.delete(key);
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
    }
    return `${url.pathname}?${url.searchParams}${hash}`;
  };
  const options = { by: user, ip: context.clientIp };

  if (intent === "bulk-tag" || intent === "bulk-untag") {
    const input = {
      answers: form.getAll("answers").map(String),
      themes: form.getAll("themes").map(String),
      newTheme: String(form.get("new_theme") ?? ""),
    };
    const result =
      intent === "bulk-tag"
        ? await tagAnswers(context.db, group.id, input, options)
        : await untagAnswers(context.db, group.id, input, options);
    if (!result.ok) {
      const bulkError: BulkError = {
        message: result.error,
        answers: input.answers.slice(0, BULK_TAG_MAX_ANSWERS),
        themes: input.themes.slice(0, BULK_TAG_MAX_THEMES),
        newTheme: input.newTheme.slice(0, 200),
      };
      return data({ formError: bulkError }, { status: 400 });
    }
    return redirect(
      returnTo(
        {
          notice: intent === "bulk-tag" ? "bulk_tagged" : "bulk_untagged",
          count: String(result.answers),
          changed: String(result.changed),
          pick: result.themeIds.map(String),
        },
        "",
      ),
    );
  }

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
    return redirect(returnTo({ notice: "tagged" }));
  }
  if (intent === "untag") {
    const themeId = positiveInt(String(form.get("theme") ?? ""));
    if (!themeId) throw new Response("Missing theme", { status: 400 });
    const result = await untagAnswer(context.db, group.id, answerId, themeId, options);
    if (!result.ok)
      return data({ error: { answerId, message: result.error } as ActionError }, { status: 400 });
    return redirect(returnTo({ notice: "untagged" }));
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
  position,
  selected,
  f,
}: {
  item: FreeTextItem;
  /** 1-based place of the answer in the whole list. */
  position: number;
  /** Whether its checkbox starts checked. */
  selected: boolean;
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
      return (
        new Intl.DisplayNames([f.locale], { type: "language" }).of(item.language) ?? item.language
      );
    } catch {
      return item.language;
    }
  })();
  const languageCode =
    item.language === "en" || item.language === "ru"
      ? t(`dashboard.texts.languageCode.${item.language}`)
      : item.language.toUpperCase();
  return (
    <li>
      <article className="card text-item" id={id} aria-labelledby={`${id}-title`} tabIndex={-1}>
        <div className="text-item__head no-print">
          <div className="text-item__select">
            <input
              type="checkbox"
              id={`${id}-select`}
              name="answers"
              value={item.answerId}
              form={BULK_FORM_ID}
              defaultChecked={selected}
              aria-describedby={`${id}-title`}
            />
            <label htmlFor={`${id}-select`}>
              {t("dashboard.texts.bulk.selectLabel", { n: position })}
            </label>
          </div>
          <span className="lang-badge" aria-hidden="true" title={languageName}>
            {languageCode}
          </span>
        </div>
        <h2 className="text-item__question" id={`${id}-title`}>
          <span className="text-kind">{t(textKindKey(item.kind))}</span> {questionLabel}
        </h2>
        {item.need ? (
          <p className="text-item__need">
            <strong lang={item.language}>{item.need.title}</strong>
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
          <blockquote className="text-item__text" lang={item.language}>
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
    pageSizes,
    picked,
    selectAll,
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
  const location = useLocation();
  const f = useFormatters(minCell);
  const { t } = f;
  const hydrated = useHydrated();
  const bulkForm = useRef<HTMLFormElement>(null);
  const helpRef = useRef<HTMLDetailsElement>(null);
  const tagging = useTextTagging({
    form: bulkForm,
    helpRef,
    searchId: "texts-q",
    resetKey: location.key,
    f,
  });
  const groupName = f.text(group.name, group.slug);
  const base = `/staff/groups/${group.slug}/texts`;
  const current = new URLSearchParams({
    ...filterParams,
    ...(survey ? { survey: survey.slug } : {}),
  });
  if (search.q) current.set("q", search.q);
  if (search.question) current.set("question", search.question);
  if (search.theme) current.set("theme", search.theme);
  if (search.per) current.set("per", search.per);
  for (const id of picked) current.append("pick", String(id));
  const pageLink = (page: number, extra?: Record<string, string>) => {
    const p = new URLSearchParams(current);
    if (page > 1) p.set("page", String(page));
    for (const [k, v] of Object.entries(extra ?? {})) p.set(k, v);
    return `${base}?${p}`;
  };
  const back = texts ? pageLink(texts.page) : base;
  const labelOf = (key: string) => f.text(texts?.questions.find((q) => q.key === key)?.label, key);
  const categoryLabel = (key: string, code: string | null) =>
    texts?.questions.find((q) => q.key === key)?.categories?.find((c) => c.code === code)?.label;
  const error = actionData && "error" in actionData ? actionData.error : null;
  const bulkError = actionData && "formError" in actionData ? actionData.formError : null;
  const pickedThemes = bulkError ? bulkError.themes : picked.map(String);
  const noticeText =
    !notice || navigation.state !== "idle" || error || bulkError
      ? null
      : notice.kind === "bulkTagged" || notice.kind === "bulkUntagged"
        ? t(
            notice.kind === "bulkTagged"
              ? "dashboard.texts.bulkNotices.tagged"
              : "dashboard.texts.bulkNotices.untagged",
            { count: notice.count, changed: notice.changed },
          )
        : t(`dashboard.texts.notices.${notice.kind}`);
  const allSelected = hydrated ? tagging.allSelected : selectAll;
  const bulkButtons = (
    <>
      <button type="submit" name="intent" value="bulk-tag" form={BULK_FORM_ID}>
        {t("dashboard.texts.bulk.tag")}
      </button>
      <button
        type="submit"
        name="intent"
        value="bulk-untag"
        form={BULK_FORM_ID}
        className="secondary"
      >
        {t("dashboard.texts.bulk.untag")}
      </button>
    </>
  );
  return (
    <div className="container">
      <h1>{t("dashboard.texts.title", { group: groupName })}</h1>
      {survey ? <p className="lead">{f.text(survey.title, survey.slug)}</p> : null}
      <GroupNav group={group.slug} query={query} f={f} />
      <p>{t("dashboard.texts.intro")}</p>
      {noticeText ? (
        <p className="notice notice--ok" role="status">
          {noticeText}
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
            {picked.map((id) => (
              <input key={id} type="hidden" name="pick" value={id} />
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
              <div className="field">
                <label htmlFor="texts-per">{t("dashboard.texts.perPage")}</label>
                <select id="texts-per" name="per" defaultValue={search.per || String(pageSizes[0])}>
                  {pageSizes.map((n) => (
                    <option key={n} value={n}>
                      {n}
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
              <section
                className="card bulk-tag no-print"
                aria-labelledby="bulk-heading"
                key={`bulk-${location.key}`}
              >
                <h2 id="bulk-heading">{t("dashboard.texts.bulk.heading")}</h2>
                <p>{t("dashboard.texts.bulk.intro")}</p>
                <Form method="post" id={BULK_FORM_ID} ref={bulkForm} className="bulk-tag__form">
                  <input type="hidden" name="back" value={back} />
                  {bulkError ? (
                    <p className="field-error" id="bulk-error" role="alert">
                      {t(bulkError.message)}
                    </p>
                  ) : null}
                  <fieldset className="bulk-tag__themes">
                    <legend>{t("dashboard.texts.bulk.themes")}</legend>
                    {themes.length ? (
                      <ul className="check-list">
                        {themes.map((th) => (
                          <li key={th.id}>
                            <input
                              type="checkbox"
                              id={`pick-${th.id}`}
                              name="themes"
                              value={th.id}
                              defaultChecked={pickedThemes.includes(String(th.id))}
                            />
                            <label htmlFor={`pick-${th.id}`}>{th.name}</label>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="muted">{t("dashboard.texts.bulk.noThemes")}</p>
                    )}
                  </fieldset>
                  <div className="field">
                    <label htmlFor="bulk-new-theme">{t("dashboard.texts.bulk.newTheme")}</label>
                    <input
                      type="text"
                      id="bulk-new-theme"
                      name="new_theme"
                      maxLength={80}
                      autoComplete="off"
                      defaultValue={bulkError?.newTheme ?? ""}
                      aria-describedby={bulkError ? "bulk-error" : undefined}
                    />
                  </div>
                  <div className="actions">{bulkButtons}</div>
                </Form>
                <p className="bulk-tag__selection">
                  <Link
                    to={allSelected ? pageLink(texts.page) : pageLink(texts.page, { select: "all" })}
                    preventScrollReset
                    onClick={(e) => {
                      if (!hydrated) return;
                      e.preventDefault();
                      tagging.toggleAll();
                    }}
                  >
                    {allSelected
                      ? t("dashboard.texts.bulk.selectNone")
                      : t("dashboard.texts.bulk.selectAll")}
                  </Link>{" "}
                  <span role="status">
                    {tagging.selected === null
                      ? ""
                      : t("dashboard.texts.bulk.selected", { count: tagging.selected })}
                  </span>
                </p>
                <p role="alert" className="bulk-tag__hint">
                  {tagging.hint}
                </p>
              </section>
              <ShortcutHelp helpRef={helpRef} f={f} />
              <p role="status">{t("dashboard.texts.count", { count: texts.total })}</p>
              {texts.items.length === 0 ? <p>{t("dashboard.texts.none")}</p> : null}
              <ol className="text-list" key={`list-${location.key}`}>
                {texts.items.map((item, i) => (
                  <TextItem
                    key={item.answerId}
                    item={item}
                    position={(texts.page - 1) * texts.pageSize + i + 1}
                    selected={
                      bulkError ? bulkError.answers.includes(item.answerId) : selectAll
                    }
                    questionLabel={labelOf(item.questionKey)}
                    categoryLabel={categoryLabel}
                    themes={themes}
                    back={back}
                    error={error && error.answerId === item.answerId ? error.message : null}
                    f={f}
                  />
                ))}
              </ol>
              {texts.items.length > 5 ? (
                <div className="actions bulk-tag__again no-print">{bulkButtons}</div>
              ) : null}
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
