import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { decodeBodyText, parseStrictJson } from "~/server/request-text.server";
import { hitSubmissionLimit } from "~/server/rate-limit.server";
import { readLimited } from "~/server/respond-view.server";
import { apiLanguage, MAX_BODY_BYTES, submitCompleteResponse } from "~/server/responses";

/**
 * POST /api/surveys/:slug/responses — a complete response in one request:
 *   body    { idempotencyKey, locale: "en" | "ru", answers: { <question key>: <answer> }, invitationToken? }
 *   201     { id, reference }                      stored
 *   200     { id, reference }                      the same idempotency key again: nothing stored
 *   400     { error, code, issues: [{ path, message }] }   invalid body or answers
 *   403/404/409/410 { error, code }   not open yet / unknown or unpublished / invitation needed,
 *                                    used or in progress / closed or invitation withdrawn
 *   413     { error }                              body over 1 MB
 *   429     { error }                              over RESPONSE_RATE_LIMIT per address and hour (Retry-After)
 * Messages are in the requester's language (Accept-Language: en or ru), else in the body's
 * `locale`, else English. `code` is the same as the questionnaire pages' refusal reason for the
 * same case (see accessCheck in app/server/responses/availability.ts).
 * Answers have the shapes of app/survey/registry.ts (AnswerValueOfType).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { locale: requested, t } = apiLanguage(request);
  if (request.method !== "POST") {
    return Response.json({ error: t("respond.api.usePost") }, { status: 405, headers: { Allow: "POST" } });
  }
  const tooLarge = () => Response.json({ error: t("respond.api.tooLarge") }, { status: 413 });
  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_BODY_BYTES) return tooLarge();
  const bytes = await readLimited(request, MAX_BODY_BYTES);
  if (bytes === null) return tooLarge();
  const text = decodeBodyText(bytes);
  if (text === null) {
    return Response.json({ error: t("respond.api.bodyText"), issues: [] }, { status: 400 });
  }
  let body: unknown;
  try {
    body = parseStrictJson(text);
  } catch (e) {
    const detail =
      e instanceof SyntaxError && /NUL|surrogate/.test(e.message) ? ` ${e.message}` : "";
    return Response.json(
      { error: `${t("respond.api.bodyJson")}${detail}`, issues: [] },
      { status: 400 },
    );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return Response.json(
      {
        error: t("respond.api.bodyObject"),
        issues: [{ path: "", message: t("respond.api.mustBeObject") }],
      },
      { status: 400 },
    );
  }
  const limited = await hitSubmissionLimit(context.db, context.clientIp, context.env.RESPONSE_RATE_LIMIT);
  if (!limited.allowed) {
    return Response.json(
      { error: t("respond.api.tooMany", { minutes: Math.ceil(limited.retryAfter / 60) }) },
      { status: 429, headers: { "Retry-After": String(limited.retryAfter) } },
    );
  }
  const input = body as Record<string, unknown>;
  if (input.invitationToken !== undefined && typeof input.invitationToken !== "string") {
    return Response.json(
      {
        error: t("respond.api.invalidRequest"),
        code: "invalid_request",
        issues: [{ path: "invitationToken", message: t("respond.api.mustBeString") }],
      },
      { status: 400 },
    );
  }
  const result = await submitCompleteResponse(context.db, {
    surveySlug: params.slug ?? "",
    idempotencyKey: input.idempotencyKey,
    locale: input.locale,
    answers: input.answers,
    invitationToken: input.invitationToken as string | undefined,
    errorLocale: requested,
  });
  const { status, ...payload } = result;
  return Response.json(payload, { status });
}

export function loader(args?: LoaderFunctionArgs) {
  const { t } = apiLanguage(args?.request ?? new Request("http://localhost/"));
  return Response.json({ error: t("respond.api.usePost") }, { status: 405, headers: { Allow: "POST" } });
}
