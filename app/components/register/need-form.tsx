import { Form } from "@remix-run/react";
import { ErrorSummary, type FormMessage, TextField } from "~/components/staff-form";
import { useI18n } from "~/i18n/react";
import { CheckboxesField, SelectField, TextAreaField } from "./fields";

export interface NeedFormView {
  title_en: string;
  title_ru: string;
  description_en: string;
  description_ru: string;
  category: string;
  horizon: string;
  owner: string;
  notes: string;
  groups: string[];
}

export const EMPTY_NEED: NeedFormView = {
  title_en: "",
  title_ru: "",
  description_en: "",
  description_ru: "",
  category: "",
  horizon: "",
  owner: "",
  notes: "",
  groups: [],
};

const FIELD_LABELS = {
  title_en: "register.form.titleEn",
  title_ru: "register.form.titleRu",
  description_en: "register.form.descriptionEn",
  description_ru: "register.form.descriptionRu",
  category: "register.form.category",
  horizon: "register.form.horizon",
  owner: "register.form.owner",
  notes: "register.form.notes",
  groups: "register.form.groups",
} as const;

/**
 * The fields of a need (create and edit): titles and descriptions in both languages, category,
 * horizon, owner, notes and the working groups the user may choose (the others are named).
 */
export function NeedForm({
  values,
  errors,
  groupOptions,
  otherGroups,
  submitLabel,
  hidden,
}: {
  values: NeedFormView;
  errors: Partial<Record<keyof NeedFormView | string, FormMessage>>;
  groupOptions: ReadonlyArray<{ value: string; label: string }>;
  /** Groups of the need the user cannot change (shown as text). */
  otherGroups?: string;
  submitLabel: string;
  hidden?: Record<string, string>;
}) {
  const { t } = useI18n();
  const err = (k: keyof NeedFormView) => {
    const e = errors[k];
    return e ? t(e.key, e.vars) : undefined;
  };
  const summary = (Object.keys(FIELD_LABELS) as Array<keyof NeedFormView>)
    .filter((k) => errors[k])
    .map((k) => ({
      id: k === "groups" ? "need-groups" : k === "horizon" ? "need-horizon" : `need-${k.replace("_", "-")}`,
      message: `${t(FIELD_LABELS[k])}: ${err(k)}`,
    }));
  return (
    <Form method="post" noValidate>
      <ErrorSummary items={summary} />
      {hidden
        ? Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)
        : null}
      <TextField id="need-title-en" name="title_en" label={t("register.form.titleEn")} defaultValue={values.title_en} maxLength={200} required error={err("title_en")} autoComplete="off" />
      <TextField id="need-title-ru" name="title_ru" label={t("register.form.titleRu")} defaultValue={values.title_ru} maxLength={200} required error={err("title_ru")} autoComplete="off" lang="ru" />
      <TextAreaField id="need-description-en" name="description_en" label={t("register.form.descriptionEn")} defaultValue={values.description_en} maxLength={4000} error={err("description_en")} />
      <TextAreaField id="need-description-ru" name="description_ru" label={t("register.form.descriptionRu")} defaultValue={values.description_ru} maxLength={4000} error={err("description_ru")} />
      <TextField id="need-category" name="category" label={t("register.form.category")} hint={t("register.form.categoryHint")} defaultValue={values.category} maxLength={120} error={err("category")} autoComplete="off" />
      <SelectField
        id="need-horizon"
        name="horizon"
        label={t("register.form.horizon")}
        defaultValue={values.horizon}
        placeholder=""
        error={err("horizon")}
        options={[
          { value: "short_term", label: t("register.horizons.short_term") },
          { value: "medium_term", label: t("register.horizons.medium_term") },
        ]}
      />
      <TextField id="need-owner" name="owner" label={t("register.form.owner")} hint={t("register.form.ownerHint")} defaultValue={values.owner} maxLength={200} error={err("owner")} autoComplete="off" />
      <TextAreaField id="need-notes" name="notes" label={t("register.form.notes")} defaultValue={values.notes} maxLength={8000} error={err("notes")} />
      <CheckboxesField
        id="need-groups"
        name="groups"
        legend={t("register.form.groups")}
        hint={otherGroups ? `${t("register.form.groupsHint")} ${t("register.form.otherGroups", { groups: otherGroups })}` : t("register.form.groupsHint")}
        error={err("groups")}
        options={groupOptions}
        checked={values.groups}
      />
      <button type="submit" name="intent" value="save">
        {submitLabel}
      </button>
    </Form>
  );
}
