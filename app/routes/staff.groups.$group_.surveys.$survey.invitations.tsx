import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorSummary, FieldError, TextField } from "~/components/staff-form";
import { formatDateTime, isoOf } from "~/components/survey-admin/format";
import { StatusBadge } from "~/components/survey-admin/status-badge";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { LOCALES, localized, type MessageKey } from "~/i18n/translate";
import { surveyPageMeta } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  emailConfigured,
  mailerFor,
  processOutbox,
  queueEmails,
  senderAddress,
} from "~/server/email.server";
import { eraseInvitee, inviteePseudonym } from "~/server/erasure.server";
import {
  addInvitee,
  type ImportReport,
  importInvitees,
  type InviteeField,
  invitationSummary,
  type IssuedLink,
  listInvitations,
  personalLink,
  regenerateInvitation,
  revokeInvitation,
} from "~/server/invitations.server";
import {
  effectiveStatus,
  getVersion,
  publicBase,
  requireManagedSurvey,
} from "~/server/survey-admin.server";
import { readForm, textField, uploadedText } from "~/server/upload.server";

const NOTICES = ["revoked", "queued", "erased"] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const [current, invitations, summary] = await Promise.all([
    getVersion(context.db, survey, null),
    listInvitations(context.db, survey.id),
    invitationSummary(context.db, survey.id),
  ]);
  const url = new URL(request.url);
  const kind = url.searchParams.get("notice") as Notice | null;
  const id = Number(url.searchParams.get("id"));
  const num = (name: string) => Number(url.searchParams.get(name) ?? 0) || 0;
  // ?erase=<id>: the confirmation step of erasing an invitee (a page of its own, no JavaScript needed).
  const erasing = invitations.find((i) => String(i.id) === url.searchParams.get("erase"));
  return {
    group,
    survey,
    status: effectiveStatus(survey),
    title: current?.definition.title ?? null,
    invitations,
    summary,
    email: emailConfigured(context.env),
    notice:
      kind && NOTICES.includes(kind)
        ? {
            kind,
            name: invitations.find((i) => i.id === id)?.name ?? "",
            pseudonym: Number.isSafeInteger(id) && id > 0 ? inviteePseudonym(id) : "",
            count: num("count"),
            sent: num("sent"),
            failed: num("failed"),
          }
        : null,
    erasing: erasing
      ? { id: erasing.id, name: erasing.name, email: erasing.email, progress: erasing.progress }
      : null,
  };
}

/** Links just issued, shown once. */
interface Issued {
  links: {
    invitationId: number;
    name: string;
    email: string | null;
    link: string;
    token: string;
  }[];
}

type AddValues = Record<InviteeField, string>;

type ActionResult =
  | {
      kind: "import";
      report: ImportReport | null;
      problem: MessageKey | null;
      issued: Issued | null;
      /** The pasted text, given back when nothing was imported so that it is not lost. */
      csv: string;
      at: number;
    }
  | {
      kind: "add";
      errors: Partial<Record<InviteeField, MessageKey>>;
      values: AddValues | null;
      issued: Issued | null;
    }
  | { kind: "regenerate"; name: string; issued: Issued }
  | { kind: "erase"; id: number; message: MessageKey }
  | { kind: "error"; message: MessageKey };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const actor = { user, ip: context.clientIp };
  const base = publicBase(context.env, request);
  const issue = (links: IssuedLink[]): Issued => ({
    links: links.map((l) => ({ ...l, link: personalLink(base, l.token) })),
  });
  const read = await readForm(request);
  if (read.tooLarge) {
    return data<ActionResult>(
      {
        kind: "import",
        report: null,
        problem: "manage.import.fileProblems.tooLarge",
        issued: null,
        csv: "",
        at: Date.now(),
      },
      { status: 413 },
    );
  }
  const form = read.form;
  const intent = textField(form, "intent");
  const here = `/staff/groups/${group.slug}/surveys/${survey.slug}/invitations`;

  if (intent === "import") {
    const upload = await uploadedText(form, "file");
    const pasted = textField(form, "csv");
    const refuse = (problem: MessageKey) =>
      data<ActionResult>(
        { kind: "import", report: null, problem, issued: null, csv: pasted, at: Date.now() },
        { status: 400 },
      );
    if (upload?.notUtf8) return refuse("manage.import.fileProblems.notUtf8");
    const text = upload?.text ?? pasted;
    if (text.trim() === "") return refuse("manage.import.fileProblems.noFile");
    const report = await importInvitees(context.db, survey, text, actor);
    return data<ActionResult>(
      {
        kind: "import",
        report,
        problem: null,
        issued: report.imported ? issue(report.links) : null,
        csv: report.imported ? "" : pasted,
        at: Date.now(),
      },
      {
        status: report.imported || (!report.fileProblem && report.counts.invalid === 0) ? 200 : 400,
      },
    );
  }
  if (intent === "add") {
    const values: AddValues = {
      name: textField(form, "name"),
      email: textField(form, "email"),
      country: textField(form, "country"),
      organisation: textField(form, "organisation"),
      language: textField(form, "language"),
    };
    const result = await addInvitee(context.db, survey, values, actor);
    if (!result.ok) {
      const errors: Partial<Record<InviteeField, MessageKey>> = {};
      for (const [field, key] of Object.entries(result.errors)) {
        errors[field as InviteeField] = `manage.invitations.errors.${key}` as MessageKey;
      }
      return data<ActionResult>({ kind: "add", errors, values, issued: null }, { status: 400 });
    }
    return data<ActionResult>({
      kind: "add",
      errors: {},
      values: null,
      issued: issue([result.link]),
    });
  }
  if (intent === "revoke" || intent === "regenerate") {
    const id = Number(textField(form, "id"));
    if (!Number.isInteger(id) || id <= 0)
      throw new Response("", { status: 400, statusText: "Bad Request" });
    const result =
      intent === "revoke"
        ? await revokeInvitation(context.db, survey, id, actor)
        : await regenerateInvitation(context.db, survey, id, actor);
    if (!result.ok) {
      if (result.reason === "notFound")
        throw new Response("", { status: 404, statusText: "Not Found" });
      return data<ActionResult>(
        { kind: "error", message: "manage.invitations.errors.revoked" },
        { status: 409 },
      );
    }
    if (intent === "revoke") return redirect(`${here}?notice=revoked&id=${id}`);
    return data<ActionResult>({
      kind: "regenerate",
      name: result.link!.name,
      issued: issue([result.link!]),
    });
  }
  if (intent === "erase") {
    const id = Number(textField(form, "id"));
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new Response("", { status: 400, statusText: "Bad Request" });
    if (textField(form, "confirm") !== "yes") {
      return data<ActionResult>(
        { kind: "erase", id, message: "manage.invitations.erase.confirmRequired" },
        { status: 400 },
      );
    }
    const result = await eraseInvitee(context.db, survey, id, actor);
    if (!result.ok) throw new Response("", { status: 404, statusText: "Not Found" });
    return redirect(`${here}?notice=erased&id=${id}`);
  }
  if (intent === "send-invitations" || intent === "send-reminders") {
    const mailer = mailerFor(context.env);
    if (!mailer) throw new Response("E-mail is not configured", { status: 409 });
    const { queued } = await queueEmails(
      context.db,
      survey,
      intent === "send-invitations" ? "invitation" : "reminder",
      { base },
      actor,
    );
    const sent = await processOutbox(context.db, mailer, {
      from: senderAddress(context.env),
      surveyId: survey.id,
      actor,
    });
    return redirect(
      `${here}?notice=queued&count=${queued}&sent=${sent.sent}&failed=${sent.failed}`,
    );
  }
  throw new Response("", { status: 400, statusText: "Bad Request" });
}

export const meta: MetaFunction<typeof loader> = surveyPageMeta("manage.invitations.title");

function IssuedLinks({ issued, linksAction }: { issued: Issued; linksAction: string }) {
  const { t } = useI18n();
  return (
    <section className="notice notice--warn issued-links" aria-labelledby="issued-title">
      <h2 id="issued-title">{t("manage.invitations.linksOnce.title")}</h2>
      <p>{t("manage.invitations.linksOnce.text")}</p>
      <form method="post" action={linksAction}>
        <input type="hidden" name="intent" value="download" />
        {issued.links.map((l) => (
          <input key={l.invitationId} type="hidden" name="token" value={l.token} />
        ))}
        <button type="submit">{t("manage.invitations.linksOnce.download")}</button>
      </form>
      <details>
        <summary>{t("manage.invitations.linksOnce.show", { count: issued.links.length })}</summary>
        <div className="table-wrap">
          <table>
            <caption>{t("manage.invitations.linksOnce.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("manage.invitations.name")}</th>
                <th scope="col">{t("manage.invitations.email")}</th>
                <th scope="col">{t("manage.invitations.link")}</th>
              </tr>
            </thead>
            <tbody>
              {issued.links.map((l) => (
                <tr key={l.invitationId} data-invitee={l.email ?? l.name}>
                  <th scope="row">{l.name}</th>
                  <td>{l.email}</td>
                  <td>
                    <code className="personal-link">{l.link}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** The confirmation step of erasing an invitee: what goes, and a box to tick. */
function EraseConfirmation({
  invitee,
  error,
  cancel,
}: {
  invitee: { id: number; name: string; email: string | null; progress: string };
  error: MessageKey | null;
  cancel: string;
}) {
  const { t } = useI18n();
  return (
    <section
      id="erase-confirm"
      className="notice notice--warn"
      aria-labelledby="erase-title"
      tabIndex={-1}
    >
      <h2 id="erase-title">{t("manage.invitations.erase.title", { name: invitee.name })}</h2>
      <p>
        {t("manage.invitations.erase.text", { name: invitee.name, email: invitee.email ?? "" })}
      </p>
      {error ? (
        <p className="error-text" id="erase-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <input type="hidden" name="intent" value="erase" />
        <input type="hidden" name="id" value={invitee.id} />
        <div className={`field${error ? " field--invalid" : ""}`}>
          <label className="choice">
            <input
              type="checkbox"
              name="confirm"
              value="yes"
              required
              aria-describedby={error ? "erase-error" : undefined}
            />
            {t("manage.invitations.erase.confirm")}
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="danger">
            {t("manage.invitations.erase.submit")}
          </button>
          <Link to={cancel}>{t("manage.invitations.erase.cancel")}</Link>
        </div>
      </Form>
    </section>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useI18n();
  const reason = (key: string) => t(`manage.invitations.errors.${key}` as MessageKey);
  return (
    <section aria-labelledby="report-title" className="import-report">
      <h3 id="report-title">{t("manage.import.reportHeading")}</h3>
      <div role="status">
        {report.imported ? (
          <p className="notice notice--ok">
            {t("manage.import.summaryImported", { count: report.counts.imported })}
          </p>
        ) : report.counts.invalid > 0 ? (
          <p className="notice notice--warn">
            {t("manage.import.summaryRejected", { count: report.counts.invalid })}
          </p>
        ) : (
          <p className="notice">{t("manage.import.summaryNothingNew")}</p>
        )}
        {report.counts.duplicates > 0 ? (
          <p>{t("manage.import.summarySkipped", { count: report.counts.duplicates })}</p>
        ) : null}
      </div>
      <div className="table-wrap">
        <table>
          <caption>{t("manage.import.reportCaption")}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t("manage.import.row")}
              </th>
              <th scope="col">{t("manage.invitations.name")}</th>
              <th scope="col">{t("manage.invitations.email")}</th>
              <th scope="col">{t("manage.import.result")}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.row} className={`import-row import-row--${r.outcome.status}`}>
                <th scope="row" className="num">
                  {r.row}
                </th>
                <td>{r.name}</td>
                <td>{r.email}</td>
                <td>
                  {r.outcome.status === "invalid"
                    ? t("manage.import.outcome.invalid", {
                        reasons: r.outcome.errors.map(reason).join("; "),
                      })
                    : r.outcome.status === "duplicateInFile"
                      ? t("manage.import.outcome.duplicateInFile", { row: r.outcome.firstRow })
                      : t(`manage.import.outcome.${r.outcome.status}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default function Invitations() {
  const { group, survey, status, title, invitations, summary, email, notice, erasing } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const linksAction = `${base}/links.csv`;
  const busy = navigation.state === "submitting";

  const addErrors = actionData?.kind === "add" ? actionData.errors : {};
  const addValues = (actionData?.kind === "add" && actionData.values) || null;
  const importData = actionData?.kind === "import" ? actionData : null;
  const fileProblem = importData?.report?.fileProblem ?? null;
  const fileProblemText = fileProblem
    ? t(`manage.import.fileProblems.${fileProblem.key}`, {
        detail: "detail" in fileProblem ? fileProblem.detail : "",
        missing: "missing" in fileProblem ? fileProblem.missing.join(", ") : "",
        column: "column" in fileProblem ? fileProblem.column : "",
        max: "max" in fileProblem ? fileProblem.max : "",
      })
    : importData?.problem
      ? t(importData.problem)
      : null;
  const issued = actionData && "issued" in actionData ? actionData.issued : null;
  const eraseTarget =
    actionData?.kind === "erase"
      ? (invitations.find((i) => i.id === actionData.id) ?? null)
      : erasing;
  const when = (d: Date | string | null) =>
    d ? (
      <time dateTime={isoOf(d)}>{formatDateTime(d, locale)}</time>
    ) : (
      t("manage.invitations.never")
    );
  const addFieldIds: InviteeField[] = ["name", "email", "country", "organisation", "language"];

  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: localized(group.name, locale) })}
        </Link>
      </p>
      <h1>{t("manage.invitations.title", { title: localized(title, locale) || survey.slug })}</h1>
      <SurveyNav base={base} />
      <p className="lead">{t("manage.invitations.intro")}</p>
      <p>
        <StatusBadge status={status} /> {t(`manage.access.${survey.accessMode}`)}
      </p>
      {status !== "open" ? (
        <p className="notice">
          {t("manage.invitations.notOpen", { status: t(`manage.status.${status}`) })}
        </p>
      ) : null}
      <p className="invitation-summary">
        {t("manage.invitations.summary", {
          active: summary.active,
          notStarted: summary.notStarted,
          inProgress: summary.inProgress,
          submitted: summary.submitted,
          revoked: summary.revoked,
        })}
      </p>

      {notice && !actionData ? (
        <p className="notice notice--ok" role="status">
          {notice.kind === "revoked"
            ? t("manage.invitations.notices.revoked", { name: notice.name })
            : notice.kind === "erased"
              ? t("manage.invitations.notices.erased", { pseudonym: notice.pseudonym })
              : `${t("manage.invitations.queued", { count: notice.count })} ${t("manage.invitations.processed", { sent: notice.sent, failed: notice.failed })}`}
        </p>
      ) : null}
      {actionData?.kind === "error" ? (
        <p className="notice notice--warn" role="alert">
          {t(actionData.message)}
        </p>
      ) : null}
      {actionData?.kind === "regenerate" ? (
        <p className="notice notice--ok" role="status">
          {t("manage.invitations.notices.regenerated", { name: actionData.name })}
        </p>
      ) : null}
      {actionData?.kind === "add" && actionData.issued ? (
        <p className="notice notice--ok" role="status">
          {t("manage.invitations.notices.added", { name: actionData.issued.links[0]?.name ?? "" })}
        </p>
      ) : null}
      {issued ? <IssuedLinks issued={issued} linksAction={linksAction} /> : null}
      {eraseTarget ? (
        <EraseConfirmation
          invitee={eraseTarget}
          error={actionData?.kind === "erase" ? actionData.message : null}
          cancel={`${base}/invitations`}
        />
      ) : null}

      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{t("manage.invitations.listHeading")}</h2>
        {invitations.length === 0 ? (
          <p>{t("manage.invitations.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="invitees">
              <caption>{t("manage.invitations.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("manage.invitations.name")}</th>
                  <th scope="col">{t("manage.invitations.email")}</th>
                  <th scope="col">{t("manage.invitations.organisation")}</th>
                  <th scope="col">{t("manage.invitations.progress")}</th>
                  <th scope="col">{t("manage.invitations.lastActivity")}</th>
                  <th scope="col">{t("manage.invitations.lastSent")}</th>
                  <th scope="col">{t("manage.invitations.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((inv) => {
                  const progress = inv.status === "revoked" ? "revoked" : inv.progress;
                  return (
                    <tr
                      key={inv.id}
                      data-invitee={inv.email ?? inv.name}
                      className={inv.status === "revoked" ? "muted" : undefined}
                    >
                      <th scope="row">
                        {inv.name}
                        <span className="meta">
                          {[inv.country, inv.locale.toUpperCase()].filter(Boolean).join(" · ")}
                        </span>
                      </th>
                      <td>{inv.email}</td>
                      <td>{inv.organisation}</td>
                      <td>
                        <span className={`progress-badge progress-badge--${progress}`}>
                          {t(`manage.invitations.progressValue.${progress}`)}
                        </span>
                      </td>
                      <td>{when(inv.lastActivityAt)}</td>
                      <td>{when(inv.lastSentAt)}</td>
                      <td>
                        <Form method="post" className="row-actions">
                          <input type="hidden" name="id" value={inv.id} />
                          {inv.status === "active" ? (
                            <>
                              {inv.progress !== "submitted" ? (
                                <button
                                  type="submit"
                                  name="intent"
                                  value="regenerate"
                                  className="secondary small"
                                  aria-label={t("manage.invitations.regenerateLabel", {
                                    name: inv.name,
                                  })}
                                >
                                  {t("manage.invitations.regenerate")}
                                </button>
                              ) : null}
                              <button
                                type="submit"
                                name="intent"
                                value="revoke"
                                className="secondary small"
                                aria-label={t("manage.invitations.revokeLabel", { name: inv.name })}
                              >
                                {t("manage.invitations.revoke")}
                              </button>
                            </>
                          ) : (
                            <button
                              type="submit"
                              name="intent"
                              value="regenerate"
                              className="secondary small"
                              aria-label={t("manage.invitations.reactivateLabel", {
                                name: inv.name,
                              })}
                            >
                              {t("manage.invitations.reactivate")}
                            </button>
                          )}
                          <Link
                            to={`?erase=${inv.id}#erase-confirm`}
                            className="small"
                            aria-label={t("manage.invitations.erase.linkLabel", { name: inv.name })}
                          >
                            {t("manage.invitations.erase.link")}
                          </Link>
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="import-heading">
        <h2 id="import-heading">{t("manage.import.heading")}</h2>
        <p>{t("manage.import.format")}</p>
        <p className="notice">
          <strong>{t("manage.import.rule")}</strong>
        </p>
        {fileProblemText ? (
          <div className="error-summary" role="alert">
            <p>{fileProblemText}</p>
          </div>
        ) : null}
        {importData?.report && !importData.report.fileProblem ? (
          <ImportReportView report={importData.report} />
        ) : null}
        <Form
          method="post"
          encType="multipart/form-data"
          className="stacked-form"
          key={importData?.at ?? "import"}
        >
          <input type="hidden" name="intent" value="import" />
          <div className="field">
            <label htmlFor="import-file">{t("manage.import.fileLabel")}</label>
            <input type="file" id="import-file" name="file" accept=".csv,text/csv,text/plain" />
          </div>
          <div className="field">
            <label htmlFor="import-csv">{t("manage.import.textLabel")}</label>
            <textarea
              id="import-csv"
              name="csv"
              rows={4}
              spellCheck={false}
              className="mono"
              placeholder="name,email,country,organisation,language"
              defaultValue={importData?.csv ?? ""}
            />
          </div>
          <button type="submit" disabled={busy}>
            {t("manage.import.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="add-heading">
        <h2 id="add-heading">{t("manage.invitations.add.heading")}</h2>
        <ErrorSummary
          items={addFieldIds
            .filter((f) => addErrors[f])
            .map((f) => ({ id: `add-${f}`, message: t(addErrors[f]!) }))}
          trigger={actionData}
        />
        <Form
          method="post"
          className="stacked-form"
          noValidate
          key={actionData?.kind === "add" && actionData.issued ? "added" : "form"}
        >
          <input type="hidden" name="intent" value="add" />
          <TextField
            id="add-name"
            name="name"
            type="text"
            label={t("manage.invitations.name")}
            autoComplete="off"
            required
            defaultValue={addValues?.name}
            error={addErrors.name ? t(addErrors.name) : undefined}
          />
          <TextField
            id="add-email"
            name="email"
            type="email"
            label={t("manage.invitations.email")}
            autoComplete="off"
            spellCheck={false}
            required
            defaultValue={addValues?.email}
            error={addErrors.email ? t(addErrors.email) : undefined}
          />
          <TextField
            id="add-country"
            name="country"
            type="text"
            label={t("manage.invitations.country")}
            autoComplete="off"
            defaultValue={addValues?.country}
            error={addErrors.country ? t(addErrors.country) : undefined}
          />
          <TextField
            id="add-organisation"
            name="organisation"
            type="text"
            label={t("manage.invitations.organisation")}
            autoComplete="off"
            defaultValue={addValues?.organisation}
            error={addErrors.organisation ? t(addErrors.organisation) : undefined}
          />
          <div className={`field${addErrors.language ? " field--invalid" : ""}`}>
            <label htmlFor="add-language">{t("manage.invitations.language")}</label>
            <p className="hint" id="add-language-hint">
              {t("manage.invitations.add.languageHint")}
            </p>
            <FieldError id="add-language-error">
              {addErrors.language ? t(addErrors.language) : undefined}
            </FieldError>
            <select
              id="add-language"
              name="language"
              defaultValue={addValues?.language || "en"}
              aria-describedby="add-language-hint"
            >
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {t(`common.languageNames.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {t("manage.invitations.add.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="email-heading">
        <h2 id="email-heading">{t("manage.invitations.emailHeading")}</h2>
        {email ? (
          <>
            <p>{t("manage.invitations.emailConfigured")}</p>
            <Form method="post" className="stacked-form">
              <p className="hint" id="send-invitations-hint">
                {t("manage.invitations.sendInvitationsHint")}
              </p>
              {summary.notYetEmailed > 0 ? (
                <button
                  type="submit"
                  name="intent"
                  value="send-invitations"
                  aria-describedby="send-invitations-hint"
                  disabled={busy}
                >
                  {t("manage.invitations.sendInvitations", { count: summary.notYetEmailed })}
                </button>
              ) : (
                <p className="muted">{t("manage.invitations.noneToInvite")}</p>
              )}
            </Form>
            <Form method="post" className="stacked-form">
              <p className="hint" id="send-reminders-hint">
                {t("manage.invitations.sendRemindersHint")}
              </p>
              {summary.remindable > 0 ? (
                <button
                  type="submit"
                  name="intent"
                  value="send-reminders"
                  className="secondary"
                  aria-describedby="send-reminders-hint"
                  disabled={busy}
                >
                  {t("manage.invitations.sendReminders", { count: summary.remindable })}
                </button>
              ) : (
                <p className="muted">{t("manage.invitations.noneToRemind")}</p>
              )}
            </Form>
            <p>
              <Link to={`${base}/emails`}>{t("manage.invitations.outboxLink")}</Link>
            </p>
          </>
        ) : (
          <div className="card section-card">
            <h3>{t("manage.invitations.noEmail.title")}</h3>
            <p>{t("manage.invitations.noEmail.text")}</p>
            <ol>
              <li>{t("manage.invitations.noEmail.step1")}</li>
              <li>{t("manage.invitations.noEmail.step2")}</li>
              <li>{t("manage.invitations.noEmail.step3")}</li>
              <li>{t("manage.invitations.noEmail.step4")}</li>
            </ol>
            <p className="hint">{t("manage.invitations.noEmail.admin")}</p>
          </div>
        )}
      </section>

      <section aria-labelledby="regenerate-heading">
        <h2 id="regenerate-heading">{t("manage.invitations.regenerateAll.heading")}</h2>
        {summary.pending > 0 ? (
          <form method="post" action={linksAction} className="stacked-form">
            <input type="hidden" name="intent" value="regenerate-all" />
            <p>{t("manage.invitations.regenerateAll.text", { count: summary.pending })}</p>
            <div className="field">
              <label className="choice">
                <input type="checkbox" name="confirm" value="yes" required />
                {t("manage.invitations.regenerateAll.confirm")}
              </label>
            </div>
            <button type="submit" className="secondary">
              {t("manage.invitations.regenerateAll.submit")}
            </button>
          </form>
        ) : (
          <p className="muted">{t("manage.invitations.regenerateAll.nobody")}</p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
