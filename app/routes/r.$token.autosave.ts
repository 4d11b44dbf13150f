import type { ActionFunctionArgs } from "@remix-run/node";
import { fieldsFromForm, pageFieldErrors } from "~/survey/form-values";
import { fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import { findPage } from "~/survey/schema";
import { readForm, respondErrorOf } from "~/server/respond-view.server";
import { draftRevisionOf, loadResponse, responseAvailability, savePage } from "~/server/responses";

/**
 * Background saves of a questionnaire page (JavaScript only): the page's fields and `page`,
 * saved as a draft like the page's own "autosave" intent. Answers JSON, also for errors, so a
 * failed save never replaces the page the respondent is typing in.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    const known = respondErrorOf(error);
    if (!known) throw error;
    return Response.json({ error: known.reason }, { status: known.status });
  }
  const response = await loadResponse(context.db, params.token ?? "");
  if (!response) return Response.json({ error: "response_unknown" }, { status: 404 });
  if (response.status === "submitted")
    return Response.json({ error: "already_submitted" }, { status: 409 });
  if (response.invitation?.status === "revoked")
    return Response.json({ error: "invitation_revoked" }, { status: 410 });
  const unavailable = responseAvailability(response);
  if (unavailable?.reason === "invitation_only")
    return Response.json({ error: "invitation_only" }, { status: 403 });
  if (unavailable) return Response.json({ error: "closed" }, { status: 410 });
  const page = findPage(response.def, String(form.get("page") ?? ""));
  if (!page) return Response.json({ error: "unknown_page" }, { status: 404 });
  const fields = fieldsFromForm(form, new Set(page.questions.map((q) => q.key)));
  const result = await savePage(
    context.db,
    response,
    page.key,
    pageAnswersFromFormData(response.def, page.key, fieldsGetAll(fields)),
    { revision: draftRevisionOf(form) },
  );
  if (!result.ok) {
    switch (result.error) {
      case "too_long":
        // The question's own message for each field, e.g. "Use at most 3000 characters."
        return Response.json(
          {
            error: "answer_too_long",
            fields: pageFieldErrors(response.def, result.issues, fields),
          },
          { status: 400 },
        );
      case "too_large":
        return Response.json({ error: "draft_too_large" }, { status: 413 });
      case "unknown_page":
        return Response.json({ error: "unknown_page" }, { status: 404 });
      default:
        return Response.json({ error: "already_submitted" }, { status: 409 });
    }
  }
  return Response.json({ savedAt: result.savedAt.toISOString() });
}

export function loader() {
  return Response.json(
    { error: "method_not_allowed" },
    { status: 405, headers: { Allow: "POST" } },
  );
}
