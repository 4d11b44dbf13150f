import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { assertEditable, requireResponse } from "~/server/respond-view.server";
import { resumeTarget } from "~/server/responses";

/** The resume link: on to the first page that is not done yet, the review, or the receipt. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const target = resumeTarget(
    response.def,
    response.answers,
    response.currentPage,
    response.locale,
  );
  const path = "review" in target ? `/r/${token}/review` : `/r/${token}/p/${target.page}`;
  return redirect(`${path}?lang=${response.locale}`);
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}

/** Never shown: the loader always redirects (a component makes errors render as a page). */
export default function Resume() {
  return null;
}
