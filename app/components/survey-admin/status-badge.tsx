import { useI18n } from "~/i18n/react";

export type EffectiveStatus = "draft" | "scheduled" | "open" | "ended" | "closed";

/** The survey's status now, as a labelled badge (text, not colour alone). */
export function StatusBadge({ status }: { status: EffectiveStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--${status}`}>{t(`manage.status.${status}`)}</span>;
}
