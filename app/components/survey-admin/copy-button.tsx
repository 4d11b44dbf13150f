import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";

/**
 * A button that copies `text` to the clipboard; rendered only once JavaScript runs. `texts`
 * replaces its words (pages that do not load the staff messages pass their own).
 */
export function CopyButton({
  text,
  label,
  texts,
}: {
  text: string;
  label?: string;
  texts?: { copy: string; copied: string; failed: string };
}) {
  const { t } = useI18n();
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void copy()}>
        {label ?? texts?.copy ?? t("manage.overview.copy")}
      </button>
      <span role="status" className="copy-status">
        {state === "copied"
          ? (texts?.copied ?? t("manage.overview.copied"))
          : state === "failed"
            ? (texts?.failed ?? t("manage.overview.copyFailed"))
            : ""}
      </span>
    </>
  );
}
