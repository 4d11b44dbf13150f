import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldError } from "~/components/staff-form";
import { formatDateTime, isoOf } from "~/components/survey-admin/format";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { localized, type MessageKey } from "~/i18n/translate";
import { surveyPageMeta } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  EMAIL_KINDS,
  EMAIL_LOCALES,
  emailConfigured,
  getTemplates,
  listOutbox,
  mailerFor,
  MAX_ATTEMPTS,
  outboxCounts,
  processOutbox,
  retryFailed,
  saveTemplate,
  senderAddress,
} from "~/server/email.server";
import { getVersion, requireManagedSurvey } from "~/server/survey-admin.server";

const NOTICES = ["saved", "reset", "processed", "retried"] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const [current, templates, outbox, counts] = await Promise.all([
    getVersion(context.db, survey, null),
    getTemplates(context.db, survey.id),
    listOutbox(context.db, survey.id),
    outboxCounts(context.db, survey.id),
  ]);
  const url = new URL(request.url);
  const kind = url.searchParams.get("notice") as Notice | null;
  const num = (name: string) => Number(url.searchParams.get(name) ?? 0) || 0;
  return {
    group,
    survey,
    title: current?.definition.title ?? null,
    templates,
    outbox,
    counts,
    configured: emailConfigured(context.env),
    maxAttempts: MAX_ATTEMPTS,
    notice:
      kind && NOTICES.includes(kind)
        ? { kind, count: num("count"), sent: num("sent"), failed: num("failed") }
        : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const form = await request.formData();
  const intent = form.get("intent");
  const actor = { user, ip: context.clientIp };
  const here = `/staff/groups/${group.slug}/surveys/${survey.slug}/emails`;
  if (intent === "save-template" || intent === "reset-template") {
    const raw = {
      kind: form.get("kind"),
      locale: form.get("locale"),
      subject: form.get("subject") ?? "",
      body: form.get("body") ?? "",
      reset: intent === "reset-template",
    };
    if (!EMAIL_KINDS.includes(raw.kind as never) || !EMAIL_LOCALES.includes(raw.locale as never)) {
      throw new Response("", { status: 400, statusText: "Bad Request" });
    }
    const result = await saveTemplate(context.db, survey, raw, actor);
    if (!result.ok) {
      const errors: Partial<Record<"subject" | "body", MessageKey>> = {};
      if (result.errors.subject) errors.subject = `manage.emails.errors.${result.errors.subject}`;
      if (result.errors.body) errors.body = `manage.emails.errors.${result.errors.body}`;
      return data(
        {
          template: `${String(raw.kind)}-${String(raw.locale)}`,
          errors,
          values: { subject: String(raw.subject), body: String(raw.body) },
        },
        { status: 400 },
      );
    }
    return redirect(
      `${here}?notice=${raw.reset ? "reset" : "saved"}#template-${String(raw.kind)}-${String(raw.locale)}`,
    );
  }
  if (intent === "send-now") {
    const mailer = mailerFor(context.env);
    if (!mailer) throw new Response("E-mail is not configured", { status: 409 });
    const r = await processOutbox(context.db, mailer, {
      from: senderAddress(context.env),
      surveyId: survey.id,
      actor,
    });
    return redirect(`${here}?notice=processed&sent=${r.sent}&failed=${r.failed}#outbox-heading`);
  }
  if (intent === "retry") {
    const count = await retryFailed(context.db, survey, actor);
    const mailer = mailerFor(context.env);
    const r = mailer
      ? await processOutbox(context.db, mailer, {
          from: senderAddress(context.env),
          surveyId: survey.id,
          actor,
        })
      : null;
    return redirect(
      `${here}?notice=retried&count=${count}${r ? `&sent=${r.sent}&failed=${r.failed}` : ""}#outbox-heading`,
    );
  }
  throw new Response("", { status: 400, statusText: "Bad Request" });
}

export const meta: MetaFunction<typeof loader> = surveyPageMeta("manage.emails.title");

export default function Emails() {
  const { group, survey, title, templates, outbox, counts, configured, maxAttempts, notice } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const when = (d: Date | string | null) =>
    d ? <time dateTime={isoOf(d)}>{formatDateTime(d, locale)}</time> : null;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: localized(group.name, locale) })}
        </Link>
      </p>
      <h1>{t("manage.emails.title", { title: localized(title, locale) || survey.slug })}</h1>
      <SurveyNav base={base} />
      {!configured ? (
        <p className="notice notice--warn">
          {t("manage.emails.notConfigured")}{" "}
          <Link to={`${base}/invitations`}>{t("manage.nav.invitations")}</Link>
        </p>
      ) : null}
      {notice && !actionData ? (
        <p className="notice notice--ok" role="status">
          {notice.kind === "saved"
            ? t("manage.emails.saved")
            : notice.kind === "reset"
              ? t("manage.emails.resetDone")
              : notice.kind === "retried"
                ? `${t("manage.emails.retried", { count: notice.count })} ${configured ? t("manage.invitations.processed", { sent: notice.sent, failed: notice.failed }) : ""}`
                : t("manage.invitations.processed", { sent: notice.sent, failed: notice.failed })}
        </p>
      ) : null}

      <section aria-labelledby="templates-heading">
        <h2 id="templates-heading">{t("manage.emails.templatesHeading")}</h2>
        <p>{t("manage.emails.templatesIntro")}</p>
        <div className="template-grid">
          {templates.map((tpl) => {
            const id = `${tpl.kind}-${tpl.locale}`;
            const mine = actionData?.template === id ? actionData : null;
            const errors = mine?.errors ?? {};
            const values = mine?.values ?? { subject: tpl.subject, body: tpl.body };
            return (
              <Form
                method="post"
                key={`${id}-${tpl.updatedAt ? isoOf(tpl.updatedAt) : "default"}`}
                className="card template-card"
                id={`template-${id}`}
                noValidate
              >
                <h3 id={`${id}-heading`}>
                  {t(`manage.emails.templateHeading.${tpl.kind}`, {
                    language: t(`common.languageNames.${tpl.locale}`),
                  })}
                </h3>
                <p className="meta">
                  {tpl.isDefault
                    ? t("manage.emails.isDefault")
                    : t("manage.emails.customised", {
                        date: formatDateTime(tpl.updatedAt, locale),
                      })}
                </p>
                <input type="hidden" name="kind" value={tpl.kind} />
                <input type="hidden" name="locale" value={tpl.locale} />
                <div className={`field${errors.subject ? " field--invalid" : ""}`}>
                  <label htmlFor={`${id}-subject`}>{t("manage.emails.subject")}</label>
                  <FieldError id={`${id}-subject-error`}>
                    {errors.subject ? t(errors.subject) : undefined}
                  </FieldError>
                  <input
                    type="text"
                    id={`${id}-subject`}
                    name="subject"
                    defaultValue={values.subject}
                    lang={tpl.locale}
                    aria-invalid={errors.subject ? true : undefined}
                    aria-describedby={errors.subject ? `${id}-subject-error` : undefined}
                  />
                </div>
                <div className={`field${errors.body ? " field--invalid" : ""}`}>
                  <label htmlFor={`${id}-body`}>{t("manage.emails.body")}</label>
                  <FieldError id={`${id}-body-error`}>
                    {errors.body ? t(errors.body) : undefined}
                  </FieldError>
                  <textarea
                    id={`${id}-body`}
                    name="body"
                    rows={12}
                    defaultValue={values.body}
                    lang={tpl.locale}
                    aria-invalid={errors.body ? true : undefined}
                    aria-describedby={errors.body ? `${id}-body-error` : undefined}
                  />
                </div>
                <div className="actions">
                  <button type="submit" name="intent" value="save-template">
                    {t("manage.emails.save")}
                  </button>
                  {!tpl.isDefault ? (
                    <button
                      type="submit"
                      name="intent"
                      value="reset-template"
                      className="secondary"
                    >
                      {t("manage.emails.reset")}
                    </button>
                  ) : null}
                </div>
              </Form>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="outbox-heading">
        <h2 id="outbox-heading">{t("manage.emails.outboxHeading")}</h2>
        <p>{t("manage.emails.outboxIntro", { max: maxAttempts })}</p>
        <p className="outbox-counts">{t("manage.emails.outboxCounts", { ...counts })}</p>
        {configured ? (
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="send-now">
              {t("manage.emails.sendNow")}
            </button>
            {counts.failed > 0 ? (
              <button type="submit" name="intent" value="retry" className="secondary">
                {t("manage.emails.retryFailed")}
              </button>
            ) : null}
          </Form>
        ) : null}
        {outbox.length === 0 ? (
          <p>{t("manage.emails.outboxEmpty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="outbox">
              <caption>{t("manage.emails.outboxCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("manage.emails.to")}</th>
                  <th scope="col">{t("manage.emails.kind")}</th>
                  <th scope="col">{t("manage.emails.state")}</th>
                  <th scope="col" className="num">
                    {t("manage.emails.attempts")}
                  </th>
                  <th scope="col">{t("manage.emails.when")}</th>
                  <th scope="col">{t("manage.emails.lastError")}</th>
                </tr>
              </thead>
              <tbody>
                {outbox.map((m) => (
                  <tr key={m.id} className={`outbox__${m.status}`}>
                    <th scope="row">
                      {m.name ? (
                        <>
                          {m.name}
                          <span className="meta">{m.to}</span>
                        </>
                      ) : (
                        m.to
                      )}
                    </th>
                    <td>{t(`manage.emails.kinds.${m.kind}`)}</td>
                    <td>
                      <span className={`progress-badge progress-badge--${m.status}`}>
                        {t(`manage.emails.states.${m.status}`)}
                      </span>
                    </td>
                    <td className="num">{m.attempts}</td>
                    <td>
                      {m.status === "sent" ? (
                        <>
                          {t("manage.emails.sentAt", { date: "" })}
                          {when(m.sentAt)}
                        </>
                      ) : m.givenUp ? (
                        t("manage.emails.givenUp")
                      ) : m.status === "failed" || m.status === "queued" ? (
                        <>
                          {t("manage.emails.nextAttempt", { date: "" })}
                          {when(m.nextAttemptAt)}
                        </>
                      ) : null}
                    </td>
                    <td>
                      {m.lastError ? <code className="error-text">{m.lastError}</code> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
