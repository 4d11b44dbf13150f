import { Form } from "@remix-run/react";
import { ErrorSummary, type FormMessage, TextField } from "~/components/staff-form";
import { useI18n } from "~/i18n/react";
import type { MessageKey } from "~/i18n/translate";
import { PROGRAMME_STATUSES, PROGRAMME_TYPES } from "~/survey/programmes";
import { SelectField, TextAreaField } from "./fields";
import { programmeTypeKey } from "./views";

const LABELS: Record<string, MessageKey> = {
  code: "register.programmes.code",
  name_en: "register.programmes.nameEn",
  name_ru: "register.programmes.nameRu",
  funder_en: "register.programmes.funderEn",
  funder_ru: "register.programmes.funderRu",
  countries: "register.programmes.countries",
  type: "register.programmes.type",
  eligibility_en: "register.programmes.eligibilityEn",
  eligibility_ru: "register.programmes.eligibilityRu",
  url: "register.programmes.url",
  next_deadline: "register.programmes.deadline",
  status: "register.programmes.status",
  status_note_en: "register.programmes.statusNoteEn",
  status_note_ru: "register.programmes.statusNoteRu",
};

/** The admin's form of a programme (new: with its code; edit: the code is fixed). */
export function ProgrammeForm({
  values,
  errors,
  isNew,
}: {
  values: Record<string, string>;
  errors: Partial<Record<string, FormMessage>>;
  isNew: boolean;
}) {
  const { t } = useI18n();
  const err = (k: string) => {
    const e = errors[k];
    return e ? t(e.key, e.vars) : undefined;
  };
  const id = (k: string) => `programme-${k.replace(/_/g, "-")}`;
  const summary = Object.keys(LABELS)
    .filter((k) => errors[k])
    .map((k) => ({ id: id(k), message: `${t(LABELS[k])}: ${err(k)}` }));
  const text = (k: string, max: number, hint?: string) => (
    <TextField
      id={id(k)}
      name={k}
      label={t(LABELS[k])}
      hint={hint}
      defaultValue={values[k] ?? ""}
      maxLength={max}
      error={err(k)}
      autoComplete="off"
    />
  );
  const area = (k: string) => (
    <TextAreaField id={id(k)} name={k} label={t(LABELS[k])} defaultValue={values[k] ?? ""} maxLength={2000} rows={3} error={err(k)} />
  );
  return (
    <Form method="post" noValidate>
      <ErrorSummary items={summary} />
      {isNew ? text("code", 60, t("register.programmes.codeHint")) : <input type="hidden" name="code" value={values.code} />}
      {text("name_en", 300)}
      {text("name_ru", 300)}
      {text("funder_en", 300)}
      {text("funder_ru", 300)}
      {text("countries", 200, t("register.programmes.countriesHint"))}
      <SelectField
        id={id("type")}
        name="type"
        label={t(LABELS.type)}
        defaultValue={values.type ?? ""}
        placeholder=""
        error={err("type")}
        options={PROGRAMME_TYPES.map((x) => ({ value: x, label: t(programmeTypeKey(x)) }))}
      />
      {area("eligibility_en")}
      {area("eligibility_ru")}
      {text("url", 500)}
      {text("next_deadline", 10, t("register.programmes.deadlineHint"))}
      <SelectField
        id={id("status")}
        name="status"
        label={t(LABELS.status)}
        defaultValue={values.status ?? ""}
        placeholder=""
        error={err("status")}
        options={PROGRAMME_STATUSES.map((x) => ({ value: x, label: t(`register.programmeStatuses.${x}`) }))}
      />
      {area("status_note_en")}
      {area("status_note_ru")}
      <button type="submit">{t("register.programmes.save")}</button>
    </Form>
  );
}
