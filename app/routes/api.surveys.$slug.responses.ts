import type { ActionFunctionArgs } from "@remix-run/node";
import { decodeBodyText, parseStrictJson } from "~/server/request-text.server";
import { hitSubmissionLimit } from "~/server/rate-limit.server";
import { readLimited } from "~/server/respond-view.server";
import { MAX_BODY_BYTES, submitCompleteResponse } from "~/server/responses.server";

/**
 * POST /api/surveys/:slug/responses — a complete response in one request:
 *   body    { idempotencyKey, locale: "en" | "ru", answers: { <question key>: <answer> }, invitationToken? }
 *   201     { id, reference }                      stored
 *   200     { id, reference }                      the same idempotency key again: nothing stored
 *   400     { error, issues: [{ path, message }] } invalid body or answers (messages in `locale`)
 *   403/404/409/410 { error }   not open yet / unknown or unpublished / invitation needed / closed
 *   413     { error }                              body over 1 MB
 *   429     { error }                              over RESPONSE_RATE_LIMIT per address and hour (Retry-After)
 * Answers have the shapes of app/survey/registry.ts (AnswerValueOfType).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return Response.json({ error: "Use POST." }, { status: 405, headers: { Allow: "POST" } });
  }
  const tooLarge = () =>
    Response.json({ error: "The request body is larger than 1 MB." }, { status: 413 });
  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_BODY_BYTES) return tooLarge();
  const bytes = await readLimited(request, MAX_BODY_BYTES);
  if (bytes === null) return tooLarge();
  const text = decodeBodyText(bytes);
  if (text === null) {
    return Response.json(
      {
        error: "The request body is not valid UTF-8 text (or contains a NUL character).",
        issues: [],
      },
      { status: 400 },
    );
  }
  let body: unknown;
  try {
    body = parseStrictJson(text);
  } catch (e) {
    const detail =
      e instanceof SyntaxError && /NUL|surrogate/.test(e.message) ? ` ${e.message}` : "";
    return Response.json(
      { error: `The request body is not valid JSON.${detail}`, issues: [] },
      { status: 400 },
    );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return Response.json(
      {
        error: "The request body must be a JSON object.",
        issues: [{ path: "", message: "must be an object" }],
      },
      { status: 400 },
    );
  }
  const limited = await hitSubmissionLimit(context.db, context.clientIp, context.env.RESPONSE_RATE_LIMIT);
  if (!limited.allowed) {
    return Response.json(
      { error: `Too many responses from this network address; try again in ${Math.ceil(limited.retryAfter / 60)} minutes.` },
      { status: 429, headers: { "Retry-After": String(limited.retryAfter) } },
    );
  }
  const input = body as Record<string, unknown>;
  if (input.invitationToken !== undefined && typeof input.invitationToken !== "string") {
    return Response.json(
      {
        error: "The request is not valid.",
        issues: [{ path: "invitationToken", message: "must be a string" }],
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
  });
  const { status, ...payload } = result;
  return Response.json(payload, { status });
}

export function loader() {
  return Response.json({ error: "Use POST." }, { status: 405, headers: { Allow: "POST" } });
}
