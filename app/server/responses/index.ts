/**
 * Responses (this folder's entry): starting, saving drafts page by page, resuming, submitting exactly once, receipts.
 *
 * Respondent URLs (routes in app/routes, all thin):
 *
 *   GET  /s/:slug                   landing: title, purpose, time, privacy, language, Start
 *   POST /s/:slug                   intent=start: starts an open-link response
 *                                   -> /r/:token/p/:firstPage?lang=xx
 *   GET  /i/:token                  invitation landing (invitee's name), or its state
 *   POST /i/:token                  intent=start: starts (or resumes) the invitation's one response
 *   GET  /r/:token                  resume: redirects to the first unanswered page, the review
 *                                   or the receipt
 *   GET  /r/:token/p/:page          a page of the questionnaire
 *   POST /r/:token/p/:page          intent = next | back | save | review | autosave | lang:<xx>
 *                                   | need:add:<key> | need:remove:<key>:<slot>
 *                                   | rank:up:<key>:<item> | rank:down:<key>:<item>
 *                                   (see app/survey/intents.ts)
 *   POST /r/:token/autosave         background save of a page (JavaScript), JSON in and out
 *   GET  /r/:token/review           every visible answer with a link to change it
 *   POST /r/:token/review           intent=submit
 *   GET  /r/:token/saved            "your answers are saved" with the resume link
 *   POST /r/:token/saved            intent=email: sends the resume link to an address typed
 *                                   there, used once and stored nowhere (resume-email.server.ts)
 *   GET  /r/:token/done             receipt: reference, time, printable summary
 *   POST /api/surveys/:slug/responses   a complete response as JSON, in one request
 *
 * Every questionnaire URL takes `?lang=en|ru`, which also changes the response's language.
 *
 * `:token` is either the resume token of an anonymous response (256 random bits from
 * tokens.server.ts; only its SHA-256 is stored, in responses.resume_token_hash, and nothing in
 * the database recomputes it) or the personal token of an invitation (invitations.token_hash),
 * so that the personal link also resumes.
 *
 * Drafts: every save replaces the rows of the page's questions. An answer that passes its
 * question's schema is stored in the normal rows (app/survey/storage.ts); one that does not
 * yet (a need entry without a category, a number out of range) is kept as typed in a single
 * row with item = DRAFT_ITEM and the raw value in value_json, so that nothing typed is lost.
 * Submission validates the whole response and rewrites every row from the validated answers,
 * so a submitted response never has draft rows. Answers to questions that became hidden are
 * deleted on every save.
 *
 * The folder: constants.ts, tokens.server.ts (plausible tokens, keys, references),
 * availability.ts (pure: whether a survey or response accepts answers; accessCheck, the one
 * access check of a submission), load.server.ts (surveys, invitations and responses by token),
 * start.server.ts, navigation.ts (pure: progress, resuming), drafts.server.ts (saving pages),
 * page-action.server.ts (what a questionnaire page's buttons do), submit.server.ts (one
 * storeSubmission for the pages and the API), resume-email.server.ts ("e-mail me this link").
 */
export * from "./availability";
export * from "./constants";
export * from "./drafts.server";
export * from "./load.server";
export * from "./navigation";
export * from "./page-action.server";
export * from "./resume-email.server";
export * from "./start.server";
export * from "./submit.server";
export * from "./tokens.server";
export { hashToken, newToken } from "../tokens.server";
