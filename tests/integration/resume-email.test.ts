// "E-mail me this link" on the saved page: sent at once through SMTP to the address typed, in
// the response's language, with the resume link; the address is stored nowhere; a bad address
// gets a clear message and keeps what was typed; a failing SMTP server loses nothing; without
// SMTP_URL (and for an invitation) the form is not offered and a forged post is refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as savedAction, loader as savedLoader } from "~/routes/r.$token.saved";
import { action as landingAction } from "~/routes/s.$slug";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { newToken } from "~/server/tokens.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { findInDatabase } from "./db-search";
import { createTestDatabase, type TestDatabase } from "./db";
import { startSmtp, type TestSmtp } from "./manage-helpers";
import { actionArgs, loaderArgs, testEnv } from "./remix";
import { call, parseQuestionnaireUrl } from "./respond-helpers";

const SLUG = "energy-needs-2026";
let t: TestDatabase;
let smtp: TestSmtp;
let refusing: TestSmtp;

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await syncSurveyDirectory(t.db, "surveys");
  smtp = await startSmtp();
  refusing = await startSmtp({ fail: true });
}, 120_000);

afterAll(async () => {
  await smtp?.close();
  await refusing?.close();
  await t?.close();
});

async function start(locale = "en"): Promise<string> {
  const res = await call(() =>
    landingAction(
      actionArgs(
        `/s/${SLUG}`,
        t.db,
        { intent: "start", idempotencyKey: randomUUID(), resumeToken: newToken().token, locale },
        { params: { slug: SLUG } },
      ),
    ),
  );
  return parseQuestionnaireUrl(res.location!).token;
}

const env = (url: string | undefined) => ({
  ...testEnv,
  SMTP_URL: url,
  SMTP_FROM: "needs@example.org",
});

/** Posts the form; `url` null: no SMTP_URL. */
function send(token: string, email: string, url: string | null = smtp.url) {
  return call(() =>
    savedAction(
      actionArgs(
        `/r/${token}/saved`,
        t.db,
        { intent: "email", email },
        { params: { token }, context: { env: env(url ?? undefined) } },
      ),
    ),
  );
}

describe("e-mail me this link", () => {
  it("is offered only when SMTP_URL is set", async () => {
    const token = await start();
    const path = `/r/${token}/saved?lang=en`;
    const without = await call(() =>
      savedLoader(loaderArgs(path, t.db, { params: { token }, context: { env: env(undefined) } })),
    );
    expect(without.data.canEmail).toBe(false);
    const withSmtp = await call(() =>
      savedLoader(loaderArgs(path, t.db, { params: { token }, context: { env: env(smtp.url) } })),
    );
    expect(withSmtp.data.canEmail).toBe(true);
    expect((await send(token, "x@example.org", null)).status).toBe(400);
  });

  it("sends the resume link in the response's language and stores the address nowhere", async () => {
    const token = await start("ru");
    smtp.messages.length = 0;
    const sent = await send(token, "  Irma.Respondent@example.org ");
    expect(sent.status).toBe(200);
    expect(sent.data).toEqual({ sentTo: "Irma.Respondent@example.org" });
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual(["Irma.Respondent@example.org"]);
    expect(mail.from).toBe("needs@example.org");
    expect(mail.subject).toMatch(/^Ссылка для продолжения анкеты: /);
    expect(mail.text).toContain(`/r/${token}`);
    expect(await findInDatabase(t.db, ["Irma.Respondent@example.org", "irma.respondent"])).toEqual(
      [],
    );
  });

  it("explains a missing or malformed address and keeps what was typed", async () => {
    const token = await start();
    smtp.messages.length = 0;
    const blank = await send(token, " ");
    expect(blank.status).toBe(400);
    expect(blank.data).toEqual({ error: "emailRequired", email: " " });
    const bad = await send(token, "irma@example");
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({ error: "emailInvalid", email: "irma@example" });
    expect(smtp.messages).toHaveLength(0);
  });

  it("says so when the message could not be sent, and allows a few messages per hour", async () => {
    const token = await start();
    const failed = await send(token, "irma@example.org", refusing.url);
    expect(failed.status).toBe(503);
    expect(failed.data).toEqual({ error: "notSent", email: "irma@example.org" });
    expect((await send(token, "irma@example.org")).status).toBe(200);
    expect((await send(token, "irma@example.org")).status).toBe(200);
    const limited = await send(token, "irma@example.org");
    expect(limited.status).toBe(429);
    expect(limited.data).toEqual({ error: "tooMany", email: "irma@example.org" });
  });
});
