import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "~/i18n/react";

type StatusHandler = (info: { status: number; message: string }) => ReactNode;

/**
 * The error page used by every route: a clear title and text by status, never a stack trace.
 * Routes may pass handlers for particular statuses.
 */
export function GeneralErrorBoundary({ statusHandlers }: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError();
  const { t } = useI18n();
  let status = 500;
  let message = "";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    message = typeof error.data === "string" ? error.data : (error.data?.message ?? "");
  }
  const custom = statusHandlers?.[status];
  if (custom) return <>{custom({ status, message })}</>;

  const [title, text] =
    status === 404
      ? [t("common.errors.notFoundTitle"), t("common.errors.notFoundText")]
      : status === 403 || status === 401
        ? [t("common.errors.forbiddenTitle"), t("common.errors.forbiddenText")]
        : status === 503
          ? [t("common.errors.unavailableTitle"), t("common.errors.unavailableText")]
          : status >= 400 && status < 500
            ? [t("common.errors.badRequestTitle"), message]
            : [t("common.errors.genericTitle"), t("common.errors.genericText")];
  return (
    <div className="container error-page" role="alert">
      <h1>{title}</h1>
      {text ? <p>{text}</p> : null}
      {status >= 400 && status < 500 && message && message !== text ? <p>{message}</p> : null}
      <p>
        <Link to="/">{t("common.errors.backHome")}</Link>
      </p>
    </div>
  );
}
