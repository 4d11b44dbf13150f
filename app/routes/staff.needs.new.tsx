import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/register/fields";
import { EMPTY_NEED, NeedForm } from "~/components/register/need-form";
import { FiguresText, RegisterNav } from "~/components/register/views";
import { ErrorSummary } from "~/components/staff-form";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import {
  listAccessibleGroups,
  requireGroupAccess,
  requireUser,
  type SessionUser,
} from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import type { FieldErrors } from "~/server/form-errors.server";
import { parseEvidenceRef, resolveEvidence } from "~/server/need-evidence.server";
import { type EvidenceRef, evidenceQuery } from "~/survey/register";
import {
  canEditNeed,
  createNeed,
  linkEvidence,
  listNeeds,
  needFormValues,
  needGroupIds,
  type NeedFormValues,
} from "~/server/needs.server";
import type { AppLoadContext } from "@remix-run/node";

async function evidenceFor(
  request: Request,
  context: AppLoadContext,
  ref: EvidenceRef | null,
): Promise<{ user: SessionUser; evidence: Awaited<ReturnType<typeof resolveEvidence>> }> {
  if (!ref) return { user: await requireUser(request, context), evidence: null };
  const user = await requireGroupAccess(request, context, ref.group);
  return { user, evidence: await resolveEvidence(context.db, ref, context.env.MIN_CELL_SIZE) };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const ref = parseEvidenceRef(url.searchParams);
  const { user, evidence } = await evidenceFor(request, context, ref);
  const { locale } = await resolveLocale(request);
  const groups = await listAccessibleGroups(context.db, user);
  const preset = groups.find((g) => g.slug === (ref?.group ?? url.searchParams.get("group")));
  const needs = preset ? await listNeeds(context.db, user, { groupId: preset.id }) : [];
  return {
    ref,
    evidence: evidence ? inLocale(evidence, locale) : null,
    figureGone: ref !== null && evidence === null,
    groups: inLocale(groups, locale),
    values: {
      ...EMPTY_NEED,
      title_en: evidence?.label.en ?? "",
      title_ru: evidence?.label.ru ?? "",
      category: evidence?.kind === "category" ? evidence.code : "",
      groups: preset ? [String(preset.id)] : [],
    },
    needs: inLocale(
      needs.filter((n) => canEditNeed(user, n.groups.map((g) => g.id))),
      locale,
    ),
    minCell: context.env.MIN_CELL_SIZE,
  };
}

type ActionResult =
  | { intent: "save"; errors: FieldErrors; values: NeedFormValues }
  | { intent: "link"; errors: FieldErrors; values: null };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const ref = parseEvidenceRef(form);
  const { user, evidence } = await evidenceFor(request, context, ref);
  const options = { by: user, ip: context.clientIp };
  const intent = form.get("intent");
  if (ref && !evidence) {
    const errors = { form: { key: "register.errors.figureGone" as const } };
    return data<ActionResult>(
      intent === "link"
        ? { intent: "link", errors, values: null }
        : { intent: "save", errors, values: needFormValues(form) },
      { status: 400 },
    );
  }
  if (intent === "save") {
    const values = needFormValues(form);
    const result = await createNeed(context.db, user, values, evidence, options);
    if (!result.ok) return data<ActionResult>({ intent, errors: result.errors, values }, { status: 400 });
    return redirect(`/staff/needs/${result.id}?notice=created`);
  }
  if (intent === "link") {
    const raw = String(form.get("need") ?? "");
    const id = /^\d{1,9}$/.test(raw) ? Number(raw) : null;
    if (!evidence || id === null)
      return data<ActionResult>(
        { intent, errors: { need: { key: "register.errors.needRequired" } }, values: null },
        { status: 400 },
      );
    const groups = await needGroupIds(context.db, id);
    if (groups.length === 0 || !canEditNeed(user, groups))
      return data<ActionResult>(
        { intent, errors: { need: { key: "register.errors.needRequired" } }, values: null },
        { status: 400 },
      );
    const result = await linkEvidence(context.db, id, evidence, options);
    if (!result.ok)
      return data<ActionResult>({ intent, errors: { need: result.errors.need! }, values: null }, { status: 400 });
    return redirect(`/staff/needs/${id}?notice=linked`);
  }
  throw new Response("Unknown intent", { status: 400 });
}

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "register.form.newTitle") }];

export default function NewNeedPage() {
  const { ref, evidence, figureGone, groups, values, needs, minCell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const f = useFormatters(minCell);
  const { t } = f;
  const hidden = ref ? Object.fromEntries(new URLSearchParams(evidenceQuery(ref))) : undefined;
  const formError = result?.errors.form;
  const linkError = result?.intent === "link" ? result.errors.need : undefined;
  return (
    <div className="container">
      <h1>{t("register.form.newTitle")}</h1>
      <RegisterNav />
      {figureGone || formError ? (
        <ErrorSummary items={[{ message: t("register.errors.figureGone") }]} />
      ) : null}
      {evidence ? (
        <section aria-labelledby="evidence-heading" className="evidence-box">
          <h2 id="evidence-heading">{t("register.form.evidenceHeading")}</h2>
          <p>
            {t("register.form.evidenceIntro", {
              kind: t(`register.kinds.${evidence.kind}`),
              label: f.text(evidence.label),
              survey: evidence.surveySlug,
              version: evidence.surveyVersion,
              group: f.text(evidence.groupName, evidence.groupSlug),
            })}
          </p>
          <p>
            <FiguresText figures={evidence.figures} minCell={minCell} />
          </p>
        </section>
      ) : null}
      {figureGone ? null : (
        <>
          <NeedForm
            values={result?.intent === "save" ? result.values : values}
            errors={result?.intent === "save" ? result.errors : {}}
            groupOptions={groups.map((g) => ({ value: String(g.id), label: f.text(g.name, g.slug) }))}
            submitLabel={t("register.form.create")}
            hidden={hidden}
          />
          {evidence ? (
            <section aria-labelledby="link-heading">
              <h2 id="link-heading">{t("register.form.linkHeading")}</h2>
              {needs.length === 0 ? (
                <p>{t("register.form.noNeeds")}</p>
              ) : (
                <Form method="post" className="inline-fields" noValidate>
                  {hidden
                    ? Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)
                    : null}
                  <SelectField
                    id="link-need"
                    name="need"
                    label={t("register.form.linkNeed")}
                    placeholder={t("register.form.chooseNeed")}
                    error={linkError ? t(linkError.key, linkError.vars) : undefined}
                    options={needs.map((n) => ({ value: String(n.id), label: f.text(n.title) }))}
                  />
                  <button type="submit" name="intent" value="link" className="secondary">
                    {t("register.form.link")}
                  </button>
                </Form>
              )}
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
