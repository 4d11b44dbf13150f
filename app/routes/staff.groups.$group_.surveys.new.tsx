import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProblemSummary, YamlEditor } from "~/components/survey-admin/yaml-editor";
import { localized, type MessageKey } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  builderTemplate,
  createSurvey,
  requireManagedGroup,
  surveyTemplate,
} from "~/server/survey-admin.server";
import { SLUG_PATTERN } from "~/survey/constants";
import { readForm, textField, uploadedText } from "~/server/upload.server";
import type { Problem } from "~/survey/source";

const EDITOR_FILE = "survey.yaml";

interface Failure {
  problems: Problem[];
  formError: MessageKey | null;
  formVars: Record<string, string>;
  /** The text as submitted (or as uploaded), so that nothing is lost. */
  source: string;
  fileName: string;
  sourceKey: number;
  /** The "start in the builder" form: its errors by field, and its values. */
  builder?: {
    errors: Partial<Record<BuilderField, MessageKey>>;
    values: Record<BuilderField, string>;
  };
}

type BuilderField = "slug" | "titleEn" | "titleRu";
const BUILDER_FIELDS: readonly BuilderField[] = ["slug", "titleEn", "titleRu"];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group } = await requireManagedGroup(request, context, params);
  return { group, template: surveyTemplate(group.slug) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group } = await requireManagedGroup(request, context, params);
  const read = await readForm(request);
  const fail = (status: number, body: Partial<Failure> & Pick<Failure, "source" | "fileName">) =>
    data<Failure>(
      { problems: [], formError: null, formVars: {}, sourceKey: Date.now(), ...body },
      { status },
    );
  if (read.tooLarge)
    return fail(413, { formError: "manage.errors.tooLarge", source: "", fileName: EDITOR_FILE });
  if (read.form.get("intent") === "builder") {
    const values = Object.fromEntries(
      BUILDER_FIELDS.map((f) => [f, textField(read.form, f).trim()]),
    ) as Record<BuilderField, string>;
    const errors: Partial<Record<BuilderField, MessageKey>> = {};
    if (!SLUG_PATTERN.test(values.slug) || values.slug.length > 80)
      errors.slug = "builder.start.slugInvalid";
    if (!values.titleEn) errors.titleEn = "builder.start.titleMissing";
    if (!values.titleRu) errors.titleRu = "builder.start.titleMissing";
    const builderFail = (status: number) =>
      fail(status, {
        source: surveyTemplate(group.slug),
        fileName: EDITOR_FILE,
        builder: { errors, values },
      });
    if (Object.keys(errors).length) return builderFail(400);
    const created = await createSurvey(
      context.db,
      {
        group,
        text: builderTemplate(group.slug, values.slug, { en: values.titleEn, ru: values.titleRu }),
        origin: "editor",
        fileName: EDITOR_FILE,
        signal: request.signal,
      },
      { user, ip: context.clientIp },
    );
    if (created.ok)
      return redirect(`/staff/groups/${group.slug}/surveys/${created.survey.slug}/builder`);
    errors.slug =
      created.kind === "conflict" ? "builder.start.slugTaken" : "builder.start.slugInvalid";
    return builderFail(created.kind === "conflict" ? 409 : 400);
  }
  const upload = await uploadedText(read.form, "file");
  if (upload && !/\.ya?ml$/i.test(upload.name)) {
    return fail(400, {
      formError: "manage.errors.notYaml",
      source: textField(read.form, "source"),
      fileName: EDITOR_FILE,
    });
  }
  if (upload?.notUtf8) {
    return fail(400, {
      formError: "manage.errors.notUtf8",
      formVars: { file: upload.name },
      source: textField(read.form, "source"),
      fileName: EDITOR_FILE,
    });
  }
  const text = upload ? upload.text : textField(read.form, "source");
  const fileName = upload?.name || EDITOR_FILE;
  if (text.trim() === "")
    return fail(400, { formError: "manage.errors.noSource", source: text, fileName });
  const result = await createSurvey(
    context.db,
    { group, text, origin: upload ? "upload" : "editor", fileName, signal: request.signal },
    { user, ip: context.clientIp },
  );
  if (result.ok) {
    return redirect(
      `/staff/groups/${group.slug}/surveys/${result.survey.slug}?notice=created&version=${result.version}`,
    );
  }
  if (result.kind === "conflict") {
    return fail(409, {
      formError: `manage.errors.${result.message}`,
      formVars: { slug: result.slug },
      source: text,
      fileName,
    });
  }
  return fail(400, { problems: result.problems, source: text, fileName });
}

export const meta: MetaFunction<typeof loader> = ({ matches, data: d }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  return [
    {
      title: pageTitle(matches, "manage.create.title", {
        group: localized(d?.group.name, root?.locale ?? "en"),
      }),
    },
  ];
};

export default function NewSurvey() {
  const { group, template } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useI18n();
  const groupName = localized(group.name, locale);
  const problems = actionData?.problems ?? [];
  const source = actionData ? actionData.source : template;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: groupName })}
        </Link>
      </p>
      <h1>{t("manage.create.title", { group: groupName })}</h1>
      <p className="lead">{t("manage.create.intro")}</p>
      <ul>
        <li>{t("manage.create.rules.group", { group: group.slug })}</li>
        <li>{t("manage.create.rules.slug")}</li>
        <li>{t("manage.create.rules.draft")}</li>
      </ul>
      <BuilderStart failure={actionData?.builder} />
      <h2 id="yaml-heading">{t("builder.start.yamlHeading")}</h2>
      {actionData?.formError ? (
        <div className="error-summary" role="alert">
          <p>{t(actionData.formError, actionData.formVars)}</p>
        </div>
      ) : null}
      <ProblemSummary
        problems={problems}
        textareaId="source"
        mainFile={actionData?.fileName}
        trigger={actionData?.sourceKey}
      />
      <Form method="post" encType="multipart/form-data" className="editor-form">
        <YamlEditor
          key={actionData?.sourceKey ?? "template"}
          id="source"
          name="source"
          label={t("manage.create.sourceLabel")}
          hint={t("manage.create.sourceHint")}
          defaultValue={source}
          problemLines={problems.filter((p) => p.file === actionData?.fileName).map((p) => p.line)}
          invalid={problems.length > 0}
        />
        <div className="field">
          <label htmlFor="file">{t("manage.create.fileLabel")}</label>
          <p className="hint" id="file-hint">
            {t("manage.create.fileHint")}
          </p>
          <input
            type="file"
            id="file"
            name="file"
            accept=".yaml,.yml,application/yaml,text/yaml"
            aria-describedby="file-hint"
            key={actionData?.sourceKey ?? "file"}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("manage.create.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}

function BuilderStart({ failure }: { failure: Failure["builder"] }) {
  const { t } = useI18n();
  const errors = failure?.errors ?? {};
  const fields: Array<{ name: BuilderField; label: MessageKey; hint?: MessageKey; lang?: string }> =
    [
      { name: "slug", label: "builder.start.slug", hint: "builder.start.slugHint" },
      { name: "titleEn", label: "builder.start.titleEn", lang: "en" },
      { name: "titleRu", label: "builder.start.titleRu", lang: "ru" },
    ];
  return (
    <section aria-labelledby="builder-start" className="card section-card">
      <h2 id="builder-start">{t("builder.start.heading")}</h2>
      <p>{t("builder.start.intro")}</p>
      {Object.keys(errors).length ? (
        <div className="error-summary" role="alert" aria-labelledby="builder-start-errors">
          <h3 id="builder-start-errors">{t("builder.errors.title")}</h3>
          <ul>
            {fields
              .filter((f) => errors[f.name])
              .map((f) => (
                <li key={f.name}>
                  <a href={`#start-${f.name}`}>{t(errors[f.name] as MessageKey)}</a>
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="stacked-form" noValidate>
        {fields.map((f) => {
          const error = errors[f.name];
          const described = [
            f.hint ? `start-${f.name}-hint` : "",
            error ? `start-${f.name}-error` : "",
          ]
            .filter(Boolean)
            .join(" ");
          return (
            <div key={f.name} className={`field${error ? " field--invalid" : ""}`}>
              <label htmlFor={`start-${f.name}`}>{t(f.label)}</label>
              {f.hint ? (
                <p className="hint" id={`start-${f.name}-hint`}>
                  {t(f.hint)}
                </p>
              ) : null}
              {error ? (
                <p className="field-error" id={`start-${f.name}-error`}>
                  {t(error)}
                </p>
              ) : null}
              <input
                type="text"
                id={`start-${f.name}`}
                name={f.name}
                lang={f.lang}
                defaultValue={failure?.values[f.name] ?? ""}
                aria-describedby={described || undefined}
                aria-invalid={error ? true : undefined}
              />
            </div>
          );
        })}
        <button type="submit" name="intent" value="builder">
          {t("builder.start.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
