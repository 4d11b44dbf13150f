import { Link } from "@remix-run/react";
import { createContext, useContext } from "react";
import { useI18n } from "~/i18n/react";
import { type EvidenceRef, evidenceQuery } from "~/survey/register";

/**
 * "Add to register" links on a dashboard's figures. The interactive dashboard provides the
 * group and survey when the reader may edit the group's needs; the printed report and readers
 * who may not edit provide nothing, and the tables show no link column.
 */
export const RegisterLinkContext = createContext<{ group: string; survey: string } | null>(null);

/** Whether the tables of this page carry "Add to register" links. */
export function useRegisterLinks(): boolean {
  return useContext(RegisterLinkContext) !== null;
}

/** The column heading of the link column (named for screen readers only). */
export function AddToRegisterHeading() {
  const { t } = useI18n();
  return (
    <th scope="col">
      <span className="visually-hidden">{t("register.figures.add")}</span>
    </th>
  );
}

/** A table cell linking the figure to a new need (where a coordinator can also pick an existing one). */
export function AddToRegisterCell({
  kind,
  question,
  code,
  label,
}: {
  kind: EvidenceRef["kind"];
  question: string;
  code: string;
  /** The figure's name, in the link's accessible name after its visible text. */
  label: string;
}) {
  const { t } = useI18n();
  const target = useContext(RegisterLinkContext);
  if (!target) return null;
  return (
    <td className="register-link">
      <Link
        to={`/staff/needs/new?${evidenceQuery({ ...target, kind, question, code })}`}
        aria-label={t("register.figures.addNamed", { label })}
      >
        {t("register.figures.add")}
      </Link>
    </td>
  );
}
