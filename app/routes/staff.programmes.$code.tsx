import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProgrammeForm } from "~/components/register/programme-form";
import { programmeTypeKey, RegisterNav } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { localized } from "~/i18n/translate";
import { requireAdmin, requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import type { FieldErrors } from "~/server/form-errors.server";
import {
  findProgramme,
  PROGRAMME_FORM_FIELDS,
  programmeFormValues,
  saveProgramme,
} from "~/server/programmes.server";

/** A programme: its facts for everyone on staff; the edit form for admins (/staff/programmes/new adds one). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const isNew = params.code === "new";
  if (isNew && user.role !== "admin") throw new Response("", { status: 403, statusText: "Forbidden" });
  const programme = isNew ? null : await findProgramme(context.db, params.code ?? "");
  if (!isNew && !programme) throw new Response("", { status: 404, statusText: "Not Found" });
  const { locale } = await resolveLocale(request);
  return {
    isNew,
    programme: programme ? inLocale(programme, locale) : null,
    values: programme ? programmeFormValues(programme) : {},
    admin: user.role === "admin",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const isNew = params.code === "new";
  const form = await request.formData();
  const values = Object.fromEntries(
    PROGRAMME_FORM_FIELDS.map((k) => {
      const v = form.get(k);
      return [k, typeof v === "string" ? v : ""];
    }),
  ) as Record<string, string>;
  if (!isNew) values.code = params.code ?? "";
  const result = await saveProgramme(context.db, isNew ? null : (params.code ?? ""), values, {
    by: user,
    ip: context.clientIp,
  });
  if (!result.ok) return data({ errors: result.errors as FieldErrors, values }, { status: 400 });
  return redirect(`/staff/programmes?notice=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: data?.programme
        ? pageTitle(matches, "register.programmes.editTitle", { name: localized(data.programme.name, locale) })
        : pageTitle(matches, "register.programmes.newTitle"),
    },
  ];
};

export default function ProgrammePage() {
  const { isNew, programme, values, admin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const f = useFormatters(1);
  const { t } = f;
  return (
    <div className="container">
      <h1>{programme ? f.text(programme.name, programme.code) : t("register.programmes.newTitle")}</h1>
      <RegisterNav />
      {programme ? (
        <dl className="need-facts">
          <dt>{t("register.programmes.funder")}</dt>
          <dd>{f.text(programme.funder)}</dd>
          <dt>{t("register.programmes.countries")}</dt>
          <dd>{programme.countries.join(", ")}</dd>
          <dt>{t("register.programmes.type")}</dt>
          <dd>{t(programmeTypeKey(programme.type))}</dd>
          <dt>{t("register.programmes.eligibility")}</dt>
          <dd>{f.text(programme.eligibility)}</dd>
          <dt>{t("register.programmes.status")}</dt>
          <dd>
            {t(`register.programmeStatuses.${programme.status}`)}
            {f.text(programme.statusNote) ? `. ${f.text(programme.statusNote)}` : ""}
          </dd>
          <dt>{t("register.programmes.deadline")}</dt>
          <dd>{programme.nextDeadline ? f.date(programme.nextDeadline) : t("register.programmes.noDeadline")}</dd>
          <dt>{t("register.programmes.link")}</dt>
          <dd>
            <a href={programme.url} rel="noopener noreferrer">
              {programme.url}
            </a>
          </dd>
        </dl>
      ) : null}
      {admin ? (
        <section aria-labelledby="programme-edit">
          <h2 id="programme-edit">
            {isNew ? t("register.programmes.newTitle") : t("register.programmes.edit")}
          </h2>
          <ProgrammeForm values={result?.values ?? values} errors={result?.errors ?? {}} isNew={isNew} />
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
