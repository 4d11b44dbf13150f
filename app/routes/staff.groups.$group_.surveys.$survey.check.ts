import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkSurveyText, requireManagedSurvey } from "~/server/survey-admin.server";
import { readForm, textField } from "~/server/upload.server";

/**
 * POST …/check: the problems of questionnaire text as it is being typed (the editor asks
 * with JavaScript, a moment after the last key press). The text is checked in the worker
 * thread of every check, so typing never holds up other requests; nothing is stored.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { survey } = await requireManagedSurvey(request, context, params, { resource: true });
  const read = await readForm(request);
  const headers = { "Cache-Control": "private, no-store" };
  if (read.tooLarge)
    return Response.json({ problems: [], tooLarge: true }, { status: 413, headers });
  const text = textField(read.form, "source");
  const result = await checkSurveyText(text, `${survey.slug}.yaml`, request.signal);
  return Response.json({ ...result, tooLarge: false }, { headers });
}

/** GET is not a check: refused as a wrong method, after the same access check as POST. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireManagedSurvey(request, context, params, { resource: true });
  throw new Response("", { status: 405, statusText: "Method Not Allowed" });
}
