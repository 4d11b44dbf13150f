import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField, TextAreaField } from "~/components/register/fields";
import { NeedForm } from "~/components/register/need-form";
import { FiguresText, RegisterNav, StatusHistoryTable } from "~/components/register/views";
import { ErrorSummary, TextField } from "~/components/staff-form";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { localized } from "~/i18n/translate";
import { canAccessGroup, listAccessibleGroups, requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import type { FieldErrors } from "~/server/form-errors.server";
import { currentFiguresOf } from "~/server/need-evidence.server";
import {
  canEditNeed,
  changeStatus,
  linkProgramme,
  listNeeds,
  mergeNeeds,
  needDetail,
  needFormValues,
  type NeedFormValues,
  needGroupIds,
  today,
  unlinkProgramme,
  updateNeed,
} from "~/server/needs.server";
import { listProgrammes } from "~/server/programmes.server";
import { COVERAGE_FITS, NEED_STATUSES } from "~/survey/register";

function needId(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new Response("", { status: 404, statusText: "Not Found" });
  return Number(raw);
}

const NOTICES = ["created", "linked", "saved", "status", "coverage", "removed", "merged"] as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = needId(params.need);
  const need = await needDetail(context.db, id, currentFiguresOf(context.db, context.env.MIN_CELL_SIZE));
  if (!need) throw new Response("", { status: 404, statusText: "Not Found" });
  if (!need.groups.some((g) => canAccessGroup(user, g.id)))
    throw new Response("", { status: 403, statusText: "Forbidden" });
  const { locale } = await resolveLocale(request);
  const editable = need.mergedInto === null && canEditNeed(user, need.groups.map((g) => g.id));
  const [groups, programmes, others] = editable
    ? await Promise.all([
        listAccessibleGroups(context.db, user),
        listProgrammes(context.db),
        listNeeds(context.db, user),
      ])
    : [[], [], []];
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    need: inLocale(need, locale),
    editable,
    groups: inLocale(groups, locale),
    programmes: inLocale(programmes, locale),
    mergeable: inLocale(
      others.filter((n) => n.id !== id && canEditNeed(user, n.groups.map((g) => g.id))),
      locale,
    ),
    values: {
      title_en: need.title.en ?? "",
      title_ru: need.title.ru ?? "",
      description_en: need.description.en ?? "",
      description_ru: need.description.ru ?? "",
      category: need.category ?? "",
      horizon: need.horizon,
      owner: need.owner ?? "",
      notes: need.notes ?? "",
      groups: need.groups.map((g) => String(g.id)),
    },
    otherGroups: need.groups.filter((g) => user.role !== "admin" && !user.groupIds.includes(g.id)),
    today: today(),
    notice: (NOTICES as readonly string[]).includes(notice ?? "") ? notice : null,
    minCell: context.env.MIN_CELL_SIZE,
  };
}

type Intent = "save" | "status" | "coverage" | "merge";
interface ActionResult {
  intent: Intent;
  errors: FieldErrors;
  values: Record<string, string> | NeedFormValues;
}

function formStrings(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((n) => {
      const v = form.get(n);
      return [n, typeof v === "string" ? v : ""];
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = needId(params.need);
  const groups = await needGroupIds(context.db, id);
  if (groups.length === 0) throw new Response("", { status: 404, statusText: "Not Found" });
  if (!canEditNeed(user, groups)) throw new Response("", { status: 403, statusText: "Forbidden" });
  const form = await request.formData();
  const intent = form.get("intent");
  const options = { by: user, ip: context.clientIp };
  const done = (notice: string) => redirect(`/staff/needs/${id}?notice=${notice}`);
  const fail = (r: ActionResult) => data(r, { status: 400 });

  if (intent === "save") {
    const values = needFormValues(form);
    const result = await updateNeed(context.db, user, id, values, options);
    return result.ok ? done("saved") : fail({ intent, errors: result.errors, values });
  }
  if (intent === "status") {
    const values = formStrings(form, ["status", "on_date", "reason"]);
    const result = await changeStatus(context.db, user, id, values, options);
    return result.ok ? done("status") : fail({ intent, errors: result.errors, values });
  }
  if (intent === "coverage") {
    const values = formStrings(form, ["programme", "fit", "note"]);
    const result = await linkProgramme(context.db, id, values, options);
    return result.ok ? done("coverage") : fail({ intent, errors: result.errors, values });
  }
  if (intent === "unlink") {
    const code = String(form.get("programme") ?? "").slice(0, 60);
    await unlinkProgramme(context.db, id, code, options);
    return done("removed");
  }
  if (intent === "merge") {
    const raw = String(form.get("source") ?? "");
    const values = { source: raw.slice(0, 12) };
    const source = /^\d{1,9}$/.test(raw) ? Number(raw) : null;
    const sourceGroups = source === null ? [] : await needGroupIds(context.db, source);
    if (source === null || sourceGroups.length === 0 || !canEditNeed(user, sourceGroups))
      return fail({ intent, errors: { source: { key: "register.errors.choose" } }, values });
    const result = await mergeNeeds(context.db, id, source, options);
    return result.ok ? done("merged") : fail({ intent, errors: result.errors, values });
  }
  throw new Response("Unknown intent", { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [{ title: `${localized(data?.need.title, locale)} — ${pageTitle(matches, "register.list.title")}` }];
};

const NOTICE_KEYS = {
  created: "register.list.created",
  linked: "register.list.linked",
  saved: "register.form.saved",
  status: "register.detail.statusSaved",
  coverage: "register.detail.coverageSaved",
  removed: "register.detail.coverageRemoved",
  merged: "register.detail.mergedNotice",
} as const;

export default function NeedPage() {
  const loaded = useLoaderData<typeof loader>();
  const { need, editable, groups, programmes, mergeable, values, otherGroups, minCell } = loaded;
  const result = useActionData<typeof action>();
  const f = useFormatters(minCell);
  const { t } = f;
  const errorsOf = (intent: Intent) => (result?.intent === intent ? result.errors : {});
  const valuesOf = (intent: Intent) =>
    result?.intent === intent ? (result.values as Record<string, string>) : null;
  const err = (intent: Intent, field: string) => {
    const e = errorsOf(intent)[field];
    return e ? t(e.key, e.vars) : undefined;
  };
  const notice = loaded.notice as keyof typeof NOTICE_KEYS | null;
  const statusValues = valuesOf("status");
  const coverageValues = valuesOf("coverage");
  const summaryOf = (intent: Intent, labels: Record<string, string>) =>
    Object.entries(errorsOf(intent)).map(([field, e]) => ({
      id: `${intent}-${field.replace("_", "-")}`,
      message: `${labels[field] ?? ""}: ${t(e!.key, e!.vars)}`,
    }));
  return (
    <div className="container">
      <h1>{f.text(need.title)}</h1>
      <RegisterNav />
      {notice && !result ? (
        <p className="notice notice--ok" role="status">
          {t(NOTICE_KEYS[notice])}
        </p>
      ) : null}
      {need.mergedInto !== null ? (
        <p className="notice notice--warn">
          {t("register.detail.merged")}{" "}
          <Link to={`/staff/needs/${need.mergedInto}`}>{t("register.detail.openMerged")}</Link>
        </p>
      ) : null}
      {!editable && need.mergedInto === null ? <p>{t("register.detail.readOnly")}</p> : null}
      <dl className="need-facts">
        <dt>{t("register.detail.status")}</dt>
        <dd data-need-status={need.status}>
          {t(`register.statuses.${need.status}`)}
          {need.statusDate ? ` (${f.date(need.statusDate)})` : ""}
        </dd>
        <dt>{t("register.detail.groups")}</dt>
        <dd>{need.groups.map((g) => f.text(g.name, g.slug)).join(", ")}</dd>
        <dt>{t("register.detail.horizon")}</dt>
        <dd>{t(`register.horizons.${need.horizon}`)}</dd>
        <dt>{t("register.detail.category")}</dt>
        <dd>{need.category ?? t("register.detail.noValue")}</dd>
        <dt>{t("register.detail.owner")}</dt>
        <dd>{need.owner ?? t("register.detail.noValue")}</dd>
        <dt>{t("register.detail.description")}</dt>
        <dd>{f.text(need.description) || t("register.detail.noValue")}</dd>
        <dt>{t("register.detail.notes")}</dt>
        <dd className="pre-wrap">{need.notes ?? t("register.detail.noValue")}</dd>
      </dl>

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">{t("register.detail.evidenceHeading")}</h2>
        <p>{t("register.detail.evidenceIntro")}</p>
        {need.evidence.length === 0 ? (
          <p>{t("register.detail.noEvidence")}</p>
        ) : (
          <div className="table-wrap">
            <table className="evidence-table">
              <caption>{t("register.detail.evidenceCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("register.detail.item")}</th>
                  <th scope="col">{t("register.detail.atLinking")}</th>
                  <th scope="col">{t("register.detail.now")}</th>
                </tr>
              </thead>
              <tbody>
                {need.evidence.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      {f.text(e.label, e.code)}
                      <br />
                      <span className="small">
                        {t(`register.kinds.${e.kind}`)}, {f.text(e.group.name, e.group.slug)};{" "}
                        {t("register.detail.linkedOn", { date: f.date(e.linkedAt) })}
                        {e.originNeedId !== null ? `; ${t("register.detail.fromMerged", { id: e.originNeedId })}` : ""}
                      </span>
                    </th>
                    <td data-evidence="at-linking">
                      {e.atLinking.survey}, {t("register.figures.version", { version: e.atLinking.version })}:{" "}
                      <FiguresText figures={e.atLinking.figures} minCell={minCell} />
                    </td>
                    <td data-evidence="now">
                      {e.current ? (
                        <>
                          {e.current.survey}, {t("register.figures.version", { version: e.current.version })}:{" "}
                          <FiguresText figures={e.current.figures} minCell={minCell} />
                        </>
                      ) : (
                        t("register.detail.notNow")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editable ? (
          <p>
            {need.groups
              .filter((g) => groups.some((a) => a.id === g.id))
              .map((g) => (
                <Link key={g.slug} to={`/staff/needs/figures?group=${g.slug}`} className="button secondary">
                  {t("register.detail.addEvidence")}: {f.text(g.name, g.slug)}
                </Link>
              ))}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">{t("register.detail.coverageHeading")}</h2>
        {need.coverage.length === 0 ? (
          <p>{t("register.detail.noCoverage")}</p>
        ) : (
          <div className="table-wrap">
            <table className="coverage-table">
              <caption>{t("register.detail.coverageCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("register.detail.programme")}</th>
                  <th scope="col">{t("register.detail.fit")}</th>
                  <th scope="col">{t("register.detail.note")}</th>
                  {editable ? (
                    <th scope="col">
                      <span className="visually-hidden">{t("register.detail.remove")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {need.coverage.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">
                      <Link to={`/staff/programmes/${c.code}`}>{f.text(c.name, c.code)}</Link>
                      <br />
                      <span className="small">{t(`register.programmeStatuses.${c.status as "open"}`)}</span>
                    </th>
                    <td>{t(`register.fits.${c.fit}`)}</td>
                    <td className="pre-wrap">{c.note ?? ""}</td>
                    {editable ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="programme" value={c.code} />
                          <button type="submit" name="intent" value="unlink" className="secondary">
                            {t("register.detail.remove")}
                            <span className="visually-hidden">: {f.text(c.name, c.code)}</span>
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editable ? (
          <Form method="post" noValidate aria-labelledby="coverage-form-heading">
            <h3 id="coverage-form-heading">{t("register.detail.linkProgramme")}</h3>
            <ErrorSummary
              items={summaryOf("coverage", {
                programme: t("register.detail.programme"),
                fit: t("register.detail.fit"),
                note: t("register.detail.note"),
              })}
            />
            <SelectField
              id="coverage-programme"
              name="programme"
              label={t("register.detail.programme")}
              placeholder={t("register.detail.chooseProgramme")}
              defaultValue={coverageValues?.programme ?? ""}
              error={err("coverage", "programme")}
              options={programmes.map((p) => ({
                value: p.code,
                label: `${f.text(p.name, p.code)} (${t(`register.programmeStatuses.${p.status}`)})`,
              }))}
            />
            <SelectField
              id="coverage-fit"
              name="fit"
              label={t("register.detail.fit")}
              placeholder=""
              defaultValue={coverageValues?.fit ?? ""}
              error={err("coverage", "fit")}
              options={COVERAGE_FITS.map((x) => ({ value: x, label: t(`register.fits.${x}`) }))}
            />
            <TextAreaField
              id="coverage-note"
              name="note"
              label={t("register.detail.note")}
              defaultValue={coverageValues?.note ?? ""}
              maxLength={2000}
              rows={2}
              error={err("coverage", "note")}
            />
            <button type="submit" name="intent" value="coverage">
              {t("register.detail.linkProgramme")}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">{t("register.detail.statusHeading")}</h2>
        <p>{t("register.detail.statusIntro")}</p>
        <StatusHistoryTable
          className="history-table"
          caption={t("register.detail.historyCaption")}
          history={need.history}
        />
        {editable ? (
          <Form method="post" noValidate>
            <ErrorSummary
              items={summaryOf("status", {
                status: t("register.detail.newStatus"),
                on_date: t("register.detail.onDate"),
                reason: t("register.detail.reason"),
              })}
            />
            <SelectField
              id="status-status"
              name="status"
              label={t("register.detail.newStatus")}
              placeholder=""
              defaultValue={statusValues?.status ?? ""}
              error={err("status", "status")}
              options={NEED_STATUSES.map((s) => ({ value: s, label: t(`register.statuses.${s}`) }))}
            />
            <TextField
              id="status-on-date"
              name="on_date"
              label={t("register.detail.onDate")}
              defaultValue={statusValues?.on_date ?? loaded.today}
              error={err("status", "on_date")}
              inputMode="numeric"
              autoComplete="off"
              maxLength={10}
            />
            <TextAreaField
              id="status-reason"
              name="reason"
              label={t("register.detail.reason")}
              defaultValue={statusValues?.reason ?? ""}
              maxLength={2000}
              rows={2}
              error={err("status", "reason")}
            />
            <button type="submit" name="intent" value="status">
              {t("register.detail.changeStatus")}
            </button>
          </Form>
        ) : null}
      </section>

      {need.merged.length > 0 ? (
        <section aria-labelledby="merged-heading">
          <h2 id="merged-heading">{t("register.detail.mergedHeading")}</h2>
          {need.merged.map((m) => (
            <StatusHistoryTable
              key={m.id}
              caption={t("register.detail.mergedHistory", { id: m.id, title: f.text(m.title) })}
              history={m.history}
            />
          ))}
        </section>
      ) : null}

      {editable ? (
        <section aria-labelledby="edit-heading">
          <h2 id="edit-heading">{t("register.form.editHeading")}</h2>
          <NeedForm
            values={result?.intent === "save" ? (result.values as NeedFormValues) : values}
            errors={errorsOf("save")}
            groupOptions={groups.map((g) => ({ value: String(g.id), label: f.text(g.name, g.slug) }))}
            otherGroups={otherGroups.map((g) => f.text(g.name, g.slug)).join(", ") || undefined}
            submitLabel={t("register.form.save")}
          />
        </section>
      ) : null}

      {editable && mergeable.length > 0 ? (
        <section aria-labelledby="merge-heading">
          <h2 id="merge-heading">{t("register.detail.mergeHeading")}</h2>
          <p>{t("register.detail.mergeIntro")}</p>
          <Form method="post" className="inline-fields" noValidate>
            <SelectField
              id="merge-source"
              name="source"
              label={t("register.detail.mergeNeed")}
              placeholder={t("register.form.chooseNeed")}
              error={err("merge", "source")}
              options={mergeable.map((n) => ({ value: String(n.id), label: `${f.text(n.title)} (${n.id})` }))}
            />
            <button type="submit" name="intent" value="merge" className="secondary">
              {t("register.detail.merge")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
