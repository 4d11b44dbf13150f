import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { ProblemSummary, YamlEditor } from "~/components/survey-admin/yaml-editor";
import { localized, type MessageKey } from "~/i18n/translate";
import { surveyPageMeta } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  getWorkingVersion,
  type RemovedQuestion,
  requireManagedSurvey,
  saveSurveyVersion,
} from "~/server/survey-admin.server";
import { readForm, textField, uploadedText } from "~/server/upload.server";
import type { Problem } from "~/survey/source";
import { RemovalConfirmation } from "~/components/survey-admin/removal-confirmation";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const working = await getWorkingVersion(context.db, survey);
  return {
    group,
    survey,
    title: working?.definition.title ?? null,
    source: working?.sourceYaml ?? "",
    currentVersion: working?.version ?? 0,
    draft: working?.draft ?? false,
  };
}

interface Failure {
  problems: Problem[];
  formError: MessageKey | null;
  formVars?: Record<string, string>;
  /** Questions with answers that the text removes: confirmation needed. */
  confirm: { removed: RemovedQuestion[]; keys: string } | null;
  /** The text as submitted (or as uploaded), so that nothing is lost. */
  source: string;
  fileName: string;
  sourceKey: number;
  unchanged: number | null;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const read = await readForm(request);
  const fileName = `${survey.slug}.yaml`;
  const reply = (status: number, body: Partial<Failure> & Pick<Failure, "source">) =>
    data<Failure>(
      {
        problems: [],
        formError: null,
        confirm: null,
        fileName,
        sourceKey: Date.now(),
        unchanged: null,
        ...body,
      },
      { status },
    );
  if (read.tooLarge) return reply(413, { formError: "manage.errors.tooLarge", source: "" });
  const form = read.form;
  const upload = await uploadedText(form, "file");
  if (upload && !/\.ya?ml$/i.test(upload.name)) {
    return reply(400, { formError: "manage.errors.notYaml", source: textField(form, "source") });
  }
  if (upload?.notUtf8) {
    return reply(400, {
      formError: "manage.errors.notUtf8",
      formVars: { file: upload.name },
      source: textField(form, "source"),
    });
  }
  const text = upload ? upload.text : textField(form, "source");
  if (text.trim() === "") return reply(400, { formError: "manage.errors.noSource", source: text });
  const confirmed = form.get("confirmRemoval") === "yes" ? textField(form, "confirmKeys") : null;
  const result = await saveSurveyVersion(
    context.db,
    {
      survey,
      text,
      signal: request.signal,
      origin: upload ? "upload" : "editor",
      fileName,
      confirmKeys: confirmed,
    },
    { user, ip: context.clientIp },
  );
  const overview = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  if (result.ok && result.created)
    return redirect(
      `${overview}?notice=${result.draft ? "draft" : "version"}&version=${result.version}`,
    );
  if (result.ok) return reply(200, { source: text, unchanged: result.version });
  if (result.kind === "confirm") {
    const again = form.get("confirmRemoval") === "yes";
    return reply(409, {
      source: text,
      confirm: { removed: result.removed.filter((r) => r.answers > 0), keys: result.confirmKeys },
      formError: again ? "manage.editor.confirmRequired" : null,
    });
  }
  return reply(400, { source: text, problems: result.problems });
}

export const meta: MetaFunction<typeof loader> = surveyPageMeta("manage.editor.title");

export default function EditSurvey() {
  const { group, survey, title, source, currentVersion, draft } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const problems = actionData?.problems ?? [];
  const confirm = actionData?.confirm ?? null;
  const text = actionData ? actionData.source : source;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: localized(group.name, locale) })}
        </Link>
      </p>
      <h1>{t("manage.editor.title", { title: localized(title, locale) || survey.slug })}</h1>
      <SurveyNav base={base} />
      {survey.status === "draft" ? (
        <p className="lead">
          {t("manage.editor.intro", { next: currentVersion + 1, current: currentVersion })}
        </p>
      ) : (
        <p className="lead">
          {t(draft ? "builder.drafts.editingDraft" : "builder.drafts.savesDraft", {
            version: currentVersion,
            next: currentVersion + 1,
          })}
        </p>
      )}
      <p>
        <Link to={`${base}/builder`}>{t("builder.openBuilder")}</Link>
      </p>
      <p className="hint">{t("manage.editor.fieldsNote")}</p>

      {actionData?.unchanged != null ? (
        <p className="notice" role="status">
          {t("manage.notices.unchanged", { version: actionData.unchanged })}
        </p>
      ) : null}
      {actionData?.formError && !confirm ? (
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
        {confirm ? (
          <RemovalConfirmation
            confirm={confirm}
            error={actionData?.formError}
            checkboxLabel="manage.editor.confirmCheckbox"
          />
        ) : null}
        <YamlEditor
          key={actionData?.sourceKey ?? "current"}
          id="source"
          name="source"
          label={t("manage.editor.sourceLabel")}
          hint={t("manage.editor.sourceHint")}
          defaultValue={text}
          problemLines={problems.filter((p) => p.file === actionData?.fileName).map((p) => p.line)}
          invalid={problems.length > 0}
          checkUrl={`${base}/check`}
          fileName={`${survey.slug}.yaml`}
        />
        <div className="field">
          <label htmlFor="file">{t("manage.editor.fileLabel")}</label>
          <p className="hint" id="file-hint">
            {t("manage.editor.fileHint")}
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
            {t("manage.editor.submit")}
          </button>
          <Link to={base} className="button button--secondary">
            {t("manage.common.cancel")}
          </Link>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
