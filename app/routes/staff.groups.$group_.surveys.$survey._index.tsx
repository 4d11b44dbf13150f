import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldError } from "~/components/staff-form";
import { CopyButton } from "~/components/survey-admin/copy-button";
import { formatDateTime, isoOf } from "~/components/survey-admin/format";
import { StatusBadge } from "~/components/survey-admin/status-badge";
import { QuestionChanges, StaleTranslations } from "~/components/survey-admin/question-changes";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { localized, type MessageKey } from "~/i18n/translate";
import { surveyPageMeta } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  changeStatus,
  effectiveStatus,
  getVersion,
  getWorkingVersion,
  type LifecycleAction,
  listVersions,
  openLink,
  publicBase,
  publishDraft,
  type RemovedQuestion,
  requireManagedSurvey,
  setAccessMode,
  setDates,
  surveyCounts,
  toDateField,
} from "~/server/survey-admin.server";
import { questionDiff } from "~/survey/question-diff";
import { staleTexts } from "~/survey/translations";
import { RemovalConfirmation } from "~/components/survey-admin/removal-confirmation";

const NOTICES = [
  "created",
  "version",
  "draft",
  "published",
  "unchanged",
  "publish",
  "close",
  "reopen",
  "access",
  "dates",
] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const [current, working, versions, counts] = await Promise.all([
    getVersion(context.db, survey, null),
    getWorkingVersion(context.db, survey),
    listVersions(context.db, survey.id),
    surveyCounts(context.db, survey.id),
  ]);
  const url = new URL(request.url);
  const notice = url.searchParams.get("notice") as Notice | null;
  return {
    group,
    survey,
    status: effectiveStatus(survey),
    title: current?.definition.title ?? null,
    currentVersion: current?.version ?? null,
    draft:
      working?.draft && current
        ? {
            version: working.version,
            changes: questionDiff(current.definition, working.definition),
          }
        : null,
    stale: working ? staleTexts(working.definition) : [],
    versions,
    counts,
    link: openLink(publicBase(context.env, request), survey.slug),
    dateFields: { opensAt: toDateField(survey.opensAt), closesAt: toDateField(survey.closesAt) },
    notice:
      notice && NOTICES.includes(notice)
        ? { kind: notice, version: url.searchParams.get("version") ?? "" }
        : null,
  };
}

interface DraftConfirm {
  removed: RemovedQuestion[];
  keys: string;
}

type ActionErrors = {
  lifecycle?: MessageKey;
  draft?: MessageKey;
  opensAt?: MessageKey;
  closesAt?: MessageKey;
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = { user, ip: context.clientIp };
  const back = (notice: Notice) =>
    redirect(`/staff/groups/${group.slug}/surveys/${survey.slug}?notice=${notice}`);

  if (intent === "publish" || intent === "close" || intent === "reopen") {
    const result = await changeStatus(context.db, survey, intent as LifecycleAction, actor);
    if (result.ok) return back(intent);
    return data(
      {
        errors: { lifecycle: `manage.lifecycle.errors.${result.reason}` } as ActionErrors,
        values: null,
      },
      { status: 409 },
    );
  }
  if (intent === "publishVersion") {
    const confirmed =
      form.get("confirmRemoval") === "yes" ? String(form.get("confirmKeys") ?? "") : null;
    const result = await publishDraft(
      context.db,
      { survey, version: Number(form.get("version")), confirmKeys: confirmed },
      actor,
    );
    if (result.ok)
      return redirect(
        `/staff/groups/${group.slug}/surveys/${survey.slug}?notice=published&version=${result.version}`,
      );
    if (result.kind === "noDraft")
      return data(
        {
          errors: { draft: "builder.drafts.noDraft" } as ActionErrors,
          values: null,
          confirm: null as DraftConfirm | null,
        },
        { status: 409 },
      );
    return data(
      {
        errors: (form.get("confirmRemoval") === "yes"
          ? { draft: "manage.editor.confirmRequired" }
          : {}) as ActionErrors,
        values: null,
        confirm: {
          removed: result.removed.filter((r) => r.answers > 0),
          keys: result.confirmKeys,
        } as DraftConfirm | null,
      },
      { status: 409 },
    );
  }
  if (intent === "access") {
    const mode = form.get("accessMode");
    if (mode !== "open_link" && mode !== "invitation_only")
      throw new Response("", { status: 400, statusText: "Bad Request" });
    await setAccessMode(context.db, survey, mode, actor);
    return back("access");
  }
  if (intent === "dates") {
    const values = {
      opensAt: String(form.get("opensAt") ?? ""),
      closesAt: String(form.get("closesAt") ?? ""),
    };
    const result = await setDates(context.db, survey, values, actor);
    if (result.ok) return back("dates");
    const errors: ActionErrors = {};
    if (result.errors.opensAt) errors.opensAt = `manage.dates.errors.${result.errors.opensAt}`;
    if (result.errors.closesAt) errors.closesAt = `manage.dates.errors.${result.errors.closesAt}`;
    return data({ errors, values }, { status: 400 });
  }
  throw new Response("", { status: 400, statusText: "Bad Request" });
}

export const meta: MetaFunction<typeof loader> = surveyPageMeta("manage.overview.title");

export default function SurveyOverview() {
  const {
    group,
    survey,
    status,
    title,
    currentVersion,
    draft,
    stale,
    versions,
    counts,
    link,
    dateFields,
    notice,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const errors: ActionErrors = actionData?.errors ?? {};
  const confirm: DraftConfirm | null =
    actionData && "confirm" in actionData ? (actionData.confirm as DraftConfirm | null) : null;
  const dateValues = actionData?.values ?? dateFields;
  const when = (d: Date | string | null) =>
    d ? (
      <time dateTime={isoOf(d)}>{formatDateTime(d, locale)} UTC</time>
    ) : (
      <span className="muted">{t("manage.common.notSet")}</span>
    );
  const statusHelp = (() => {
    switch (status) {
      case "scheduled":
        return t("manage.statusHelp.scheduled", {
          date: formatDateTime(survey.opensAt, locale) + " UTC",
        });
      case "ended":
        return t("manage.statusHelp.ended", {
          date: formatDateTime(survey.closesAt, locale) + " UTC",
        });
      case "open":
        return survey.closesAt
          ? t("manage.statusHelp.openUntil", {
              date: formatDateTime(survey.closesAt, locale) + " UTC",
            })
          : t("manage.statusHelp.open");
      default:
        return t(`manage.statusHelp.${status}`);
    }
  })();
  // The one lifecycle step the survey's stored status allows.
  const lifecycleAction =
    survey.status === "draft" ? "publish" : survey.status === "open" ? "close" : "reopen";
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const older = sorted.length > 1 ? sorted[sorted.length - 2].version : sorted[0]?.version;

  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: localized(group.name, locale) })}
        </Link>
      </p>
      <h1>{localized(title, locale) || survey.slug}</h1>
      <SurveyNav base={base} />
      {notice && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t(
            notice.kind === "draft" || notice.kind === "published"
              ? `builder.notices.${notice.kind}`
              : `manage.notices.${notice.kind}`,
            { version: notice.version || (currentVersion ?? "") },
          )}
        </p>
      ) : null}

      <dl className="details-list">
        <dt>{t("manage.overview.slug")}</dt>
        <dd>
          <code>{survey.slug}</code>
        </dd>
        <dt>{t("manage.overview.status")}</dt>
        <dd>
          <StatusBadge status={status} /> {statusHelp}
        </dd>
        <dt>{t("manage.overview.access")}</dt>
        <dd>{t(`manage.access.${survey.accessMode}`)}</dd>
        <dt>{t("manage.overview.opens")}</dt>
        <dd>{when(survey.opensAt)}</dd>
        <dt>{t("manage.overview.closes")}</dt>
        <dd>{when(survey.closesAt)}</dd>
        <dt>{t("manage.overview.currentVersion")}</dt>
        <dd>
          {currentVersion != null
            ? t("manage.common.version", { version: currentVersion })
            : t("manage.common.noVersion")}
        </dd>
        <dt>{t("manage.overview.source")}</dt>
        <dd>
          {survey.sourceFile
            ? t("manage.overview.sourceFile", { file: survey.sourceFile })
            : t("manage.overview.sourceBrowser")}
        </dd>
      </dl>
      <p>
        <Link to={`${base}/invitations`}>{t("manage.overview.counts", { ...counts })}</Link>
      </p>

      {draft ? (
        <section aria-labelledby="draft-heading" className="card section-card">
          <h2 id="draft-heading">{t("builder.drafts.heading", { version: draft.version })}</h2>
          <p>
            {t("builder.drafts.intro", { version: draft.version, current: currentVersion ?? "" })}
          </p>
          <QuestionChanges changes={draft.changes} />
          <p>
            <Link to={`${base}/diff?from=${currentVersion ?? ""}&to=${draft.version}`}>
              {t("builder.drafts.compare")}
            </Link>{" "}
            ·{" "}
            <Link to={`${base}/preview?version=${draft.version}`}>
              {t("builder.drafts.preview")}
            </Link>
          </p>
          {errors.draft && !confirm ? (
            <p className="notice notice--warn" role="alert">
              {t(errors.draft)}
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="version" value={draft.version} />
            {confirm ? (
              <RemovalConfirmation
                confirm={confirm}
                error={errors.draft}
                checkboxLabel="builder.drafts.confirmCheckbox"
                headingLevel={3}
              />
            ) : null}
            <button type="submit" name="intent" value="publishVersion">
              {t("builder.drafts.publish")}
            </button>
          </Form>
        </section>
      ) : null}

      <StaleTranslations stale={stale} />

      <section aria-labelledby="open-link-heading" className="card section-card">
        <h2 id="open-link-heading">{t("manage.overview.openLink")}</h2>
        <p className="hint" id="open-link-hint">
          {survey.accessMode === "invitation_only"
            ? t("manage.overview.openLinkInvitationOnly")
            : t("manage.overview.openLinkHint")}
        </p>
        <div className="link-box">
          <label htmlFor="open-link" className="visually-hidden">
            {t("manage.overview.openLink")}
          </label>
          <input
            id="open-link"
            type="text"
            readOnly
            value={link}
            aria-describedby="open-link-hint"
            className="link-box__input"
          />
          <CopyButton text={link} />
        </div>
      </section>

      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t("manage.overview.actions")}</h2>
        <ul className="action-links">
          <li>
            <Link to={`${base}/builder`}>{t("builder.openBuilder")}</Link>
          </li>
          <li>
            <Link to={`${base}/edit`}>{t("manage.overview.editDefinition")}</Link>
          </li>
          <li>
            <Link to={`${base}/preview?lang=en`}>{t("manage.overview.previewEn")}</Link>
          </li>
          <li>
            <Link to={`${base}/preview?lang=ru`}>{t("manage.overview.previewRu")}</Link>
          </li>
          <li>
            <Link to={`${base}/invitations`}>{t("manage.overview.manageInvitations")}</Link>
          </li>
          <li>
            <Link to={`${base}/emails`}>{t("manage.overview.manageEmails")}</Link>
          </li>
        </ul>

        <h3 id="lifecycle-heading">{t("manage.lifecycle.heading")}</h3>
        {errors.lifecycle ? (
          <p className="notice notice--warn" role="alert">
            {t(errors.lifecycle)}
          </p>
        ) : null}
        <Form method="post" aria-labelledby="lifecycle-heading">
          {/* The hint says what the button will do, and is the button's description. */}
          <button
            type="submit"
            name="intent"
            value={lifecycleAction}
            className={lifecycleAction === "close" ? "danger" : undefined}
            aria-describedby="lifecycle-hint"
          >
            {t(`manage.lifecycle.${lifecycleAction}`)}
          </button>
          <p className="hint" id="lifecycle-hint">
            {t(`manage.lifecycle.${lifecycleAction}Hint`)}
          </p>
        </Form>

        <Form method="post" className="stacked-form">
          <fieldset className="field">
            <legend>
              <h3 className="legend-heading">{t("manage.accessForm.heading")}</h3>
            </legend>
            {(["open_link", "invitation_only"] as const).map((mode) => (
              <div key={mode} className="choice-with-hint">
                <label className="choice">
                  <input
                    type="radio"
                    name="accessMode"
                    value={mode}
                    defaultChecked={survey.accessMode === mode}
                    aria-describedby={`access-${mode}-hint`}
                  />
                  {t(`manage.access.${mode}`)}
                </label>
                <p className="hint" id={`access-${mode}-hint`}>
                  {t(`manage.access.${mode}Hint`)}
                </p>
              </div>
            ))}
          </fieldset>
          <button type="submit" name="intent" value="access" className="secondary">
            {t("manage.accessForm.submit")}
          </button>
        </Form>

        <Form method="post" className="stacked-form" noValidate>
          <h3 id="dates-heading">{t("manage.dates.heading")}</h3>
          <p className="hint">{t("manage.dates.intro")}</p>
          {(["opensAt", "closesAt"] as const).map((field) => (
            <div key={field} className={`field${errors[field] ? " field--invalid" : ""}`}>
              <label htmlFor={field}>{t(`manage.dates.${field}`)}</label>
              <p className="hint" id={`${field}-hint`}>
                {t("manage.dates.hint")}
              </p>
              <FieldError id={`${field}-error`}>
                {errors[field] ? t(errors[field]) : undefined}
              </FieldError>
              <input
                type="datetime-local"
                id={field}
                name={field}
                defaultValue={dateValues[field]}
                key={dateValues[field]}
                aria-describedby={`${field}-hint${errors[field] ? ` ${field}-error` : ""}`}
                aria-invalid={errors[field] ? true : undefined}
                className="input--medium"
              />
            </div>
          ))}
          <button type="submit" name="intent" value="dates" className="secondary">
            {t("manage.dates.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t("manage.versions.heading")}</h2>
        <p className="hint">{t("manage.versions.intro")}</p>
        <div className="table-wrap">
          <table>
            <caption>{t("manage.versions.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("manage.versions.version")}</th>
                <th scope="col">{t("manage.versions.created")}</th>
                <th scope="col">{t("manage.versions.origin")}</th>
                <th scope="col">{t("manage.versions.by")}</th>
                <th scope="col" className="num">
                  {t("manage.versions.responses")}
                </th>
                <th scope="col">{t("manage.versions.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">
                    {t("manage.common.versionShort", { version: v.version })}{" "}
                    {v.version === currentVersion ? (
                      <span className="badge badge--current">{t("manage.versions.current")}</span>
                    ) : v.version === draft?.version ? (
                      <span className="badge">{t("builder.drafts.badge")}</span>
                    ) : null}
                  </th>
                  <td>
                    <time dateTime={isoOf(v.createdAt)}>{formatDateTime(v.createdAt, locale)}</time>
                  </td>
                  <td>{t(`manage.origin.${v.origin}`)}</td>
                  <td>{v.createdBy ?? t("manage.versions.system")}</td>
                  <td className="num">{v.responses}</td>
                  <td>
                    <a
                      href={`${base}/versions/${v.version}.yaml`}
                      download
                      aria-label={t("manage.versions.downloadLabel", { version: v.version })}
                    >
                      {t("manage.versions.download")}
                    </a>{" "}
                    ·{" "}
                    <Link
                      to={`${base}/preview?version=${v.version}`}
                      aria-label={t("manage.versions.previewLabel", { version: v.version })}
                    >
                      {t("manage.versions.preview")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {versions.length > 1 ? (
          <Form method="get" action={`${base}/diff`} className="inline-form">
            <h3 id="compare-heading">{t("manage.versions.compareHeading")}</h3>
            <div className="inline-form__fields">
              <div className="field">
                <label htmlFor="diff-from">{t("manage.versions.from")}</label>
                <select id="diff-from" name="from" defaultValue={older}>
                  {sorted.map((v) => (
                    <option key={v.version} value={v.version}>
                      {t("manage.common.versionShort", { version: v.version })}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="diff-to">{t("manage.versions.to")}</label>
                <select id="diff-to" name="to" defaultValue={currentVersion ?? undefined}>
                  {sorted.map((v) => (
                    <option key={v.version} value={v.version}>
                      {t("manage.common.versionShort", { version: v.version })}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="secondary">
                {t("manage.versions.compare")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
