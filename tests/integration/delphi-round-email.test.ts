/**
 * The e-mails of a Delphi round (docs/decisions/048-round-emails.md): invited participants of
 * the round who have an address get one message each, in their language, with a plain-text
 * link to the round that works; open-link participants and invitees who do not take part get
 * none; queueing again sends nothing twice; a round that opens later is mailed when it opens.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  queueRoundEmails,
  roundForToken,
  roundMailCounts,
  listRounds,
  startRound,
} from "~/server/delphi";
import { mailerFor, processOutbox } from "~/server/email.server";
import { findInvitationByToken, hashToken, importInvitees } from "~/server/invitations.server";
import { createSurvey, type ManagedSurvey } from "~/server/survey-admin.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  action as consensusAction,
  loader as consensusLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.consensus";
import { accountWithSession, outcome, startSmtp, statusOf, type TestSmtp } from "./manage-helpers";
import { actionArgs, loaderArgs, testEnv } from "./remix";

const BASE = "https://needs.example.org";
const ROUND_LINK = /https:\/\/needs\.example\.org\/r\/([A-Za-z0-9_-]{43})\/round/;

const YAML = (slug: string) => `slug: ${slug}
workingGroup: energy
title: { en: Energy panel, ru: Энергетическая группа }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: priority
        type: scale
        min: 1
        max: 5
        label: { en: Priority, ru: Приоритет }
`;

let t: TestDatabase;
let smtp: TestSmtp;
let coordinator: { id: number; cookie: string };
const actor = () => ({
  user: { id: coordinator.id, email: "round-mail@example.org" },
  ip: "127.0.0.1",
});

async function newSurvey(slug: string): Promise<ManagedSurvey> {
  const energy = await t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  const r = await createSurvey(
    t.db,
    { group: energy, text: YAML(slug), origin: "editor" },
    actor(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.survey;
}

/** A submitted round-1 response (of an invitee, or through the open link when none). */
async function submit(
  survey: ManagedSurvey,
  rating: number,
  invitationId: number | null,
  locale = "en",
): Promise<void> {
  const r = await t.db
    .insertInto("responses")
    .values({
      survey_id: survey.id,
      survey_version_id: survey.currentVersionId!,
      invitation_id: invitationId,
      locale,
      status: "submitted",
      idempotency_key: randomUUID(),
      resume_token_hash: invitationId ? null : hashToken(randomUUID() + "x".repeat(11)),
      submitted_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("answers")
    .values({
      response_id: r.id,
      survey_id: survey.id,
      question_key: "priority",
      item: null,
      option_code: null,
      value_num: rating,
      value_text: null,
      value_json: null,
    })
    .execute();
}

const tokenIn = (text: string) => {
  const token = ROUND_LINK.exec(text)?.[1];
  if (!token) throw new Error(`no round link in: ${text}`);
  return token;
};

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  coordinator = await accountWithSession(t.db, "round-mail@example.org", "coordinator", ["energy"]);
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

describe("e-mails of a Delphi round", () => {
  it("writes once to each invited participant, in their language, with a working link to the round", async () => {
    const survey = await newSurvey("round-mail");
    const report = await importInvitees(
      t.db,
      survey,
      [
        "name,email,language",
        "Anna Berg,anna@example.org,en",
        "Boris Orlov,boris@example.org,ru",
        "Clara Diaz,clara@example.org,en",
        "Dmitri Noaddress,dmitri@example.org,ru",
      ].join("\n") + "\n",
      actor(),
    );
    const ids = Object.fromEntries(report.links.map((l) => [l.name, l.invitationId]));
    // Dmitri's address was removed later: he has his personal link only.
    await t.db
      .updateTable("invitations")
      .set({ email: null })
      .where("id", "=", ids["Dmitri Noaddress"])
      .execute();
    // Anna and Boris submitted round 1 (Boris in Russian); Clara did not; Dmitri has no address;
    // one open-link respondent submitted too.
    await submit(survey, 2, ids["Anna Berg"]);
    await submit(survey, 4, ids["Boris Orlov"], "ru");
    await submit(survey, 3, ids["Dmitri Noaddress"], "ru");
    await submit(survey, 5, null);

    const started = await startRound(
      t.db,
      survey,
      {
        items: ["priority"],
        opensAt: "",
        closesAt: "2099-01-31",
        participants: "previous",
        newcomers: false,
        reasons: "optional",
      },
      actor(),
    );
    expect(started).toEqual({ ok: true, round: 2 });

    expect(await queueRoundEmails(t.db, survey, 2, { base: BASE }, actor())).toEqual({ queued: 2 });
    const mailer = mailerFor({ SMTP_URL: smtp.url })!;
    smtp.messages.length = 0;
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 2, failed: 0 });
    const byTo = new Map(smtp.messages.map((m) => [m.to[0], m]));
    expect([...byTo.keys()].sort()).toEqual(["anna@example.org", "boris@example.org"]);

    const anna = byTo.get("anna@example.org")!;
    expect(anna.subject).toBe("Round 2: Energy panel");
    expect(anna.text).toContain("Dear Anna Berg,");
    expect(anna.text).toContain("Round 2 is open until 31 January 2099.");
    expect(anna.raw).toMatch(/Content-Type: text\/plain/i);
    const boris = byTo.get("boris@example.org")!;
    expect(boris.subject).toBe("Раунд 2: Энергетическая группа");
    expect(boris.text).toContain("Уважаемый(-ая) Boris Orlov!");

    // The link in the message opens round 2 for its participant, and is their invitation's link now.
    const annaToken = tokenIn(anna.text);
    const access = await roundForToken(t.db, annaToken, { minCell: 1 });
    expect(access.ok && access.round.round).toBe(2);
    expect((await findInvitationByToken(t.db, annaToken))?.id).toBe(ids["Anna Berg"]);
    expect((await findInvitationByToken(t.db, tokenIn(boris.text)))?.id).toBe(ids["Boris Orlov"]);

    // The stored copy holds no working link.
    const stored = await t.db
      .selectFrom("email_outbox")
      .select(["body", "status"])
      .where("survey_id", "=", survey.id)
      .where("kind", "=", "round")
      .execute();
    expect(stored.map((s) => s.status)).toEqual(["sent", "sent"]);
    for (const s of stored) {
      expect(s.body).toContain(`${BASE}/r/…/round`);
      expect(s.body).not.toMatch(ROUND_LINK);
    }

    // Sending again writes to nobody twice.
    smtp.messages.length = 0;
    expect(await queueRoundEmails(t.db, survey, 2, { base: BASE }, actor())).toEqual({ queued: 0 });
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 0 });
    expect(smtp.messages).toEqual([]);
    const round = (await listRounds(t.db, survey.id)).find((r) => r.round === 2)!;
    expect(await roundMailCounts(t.db, round.id)).toEqual({ queued: 0, sent: 2, failed: 0 });
  });

  it("queues the e-mails of a round that opens later until it opens, and writes to newcomers when they may join", async () => {
    const survey = await newSurvey("round-mail-later");
    const report = await importInvitees(
      t.db,
      survey,
      "name,email\nElena Voss,elena@example.org\nFrank Moro,frank@example.org\n",
      actor(),
    );
    await submit(survey, 3, report.links[0].invitationId);
    const opensAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 16);
    const started = await startRound(
      t.db,
      survey,
      {
        items: ["priority"],
        opensAt,
        closesAt: "",
        participants: "invited",
        newcomers: true,
        reasons: "required",
      },
      actor(),
    );
    expect(started.ok).toBe(true);
    // Elena submitted round 1, Frank may join as a newcomer: both are written to.
    expect(await queueRoundEmails(t.db, survey, 2, { base: BASE }, actor())).toEqual({ queued: 2 });
    const mailer = mailerFor({ SMTP_URL: smtp.url })!;
    smtp.messages.length = 0;
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 0 });
    expect(smtp.messages).toEqual([]);
    // Made due by hand before the round opens (as "retry" does), they still wait for the opening.
    await t.db
      .updateTable("email_outbox")
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where("survey_id", "=", survey.id)
      .execute();
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 0 });
    expect(smtp.messages).toEqual([]);
    const waiting = await t.db
      .selectFrom("email_outbox")
      .select(["status", "attempts", "next_attempt_at"])
      .where("survey_id", "=", survey.id)
      .execute();
    expect(waiting.map((w) => [w.status, w.attempts, w.next_attempt_at.getTime()])).toEqual([
      ["queued", 0, new Date(opensAt + "Z").getTime()],
      ["queued", 0, new Date(opensAt + "Z").getTime()],
    ]);
    // The round opens: the messages are due and go out, with no closing date to give.
    await t.db
      .updateTable("delphi_rounds")
      .set({ opens_at: new Date(Date.now() - 1000) })
      .where("survey_id", "=", survey.id)
      .execute();
    await t.db
      .updateTable("email_outbox")
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where("survey_id", "=", survey.id)
      .execute();
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 2, failed: 0 });
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([
      "elena@example.org",
      "frank@example.org",
    ]);
    expect(smtp.messages[0].text).toContain("open until further notice");
    const frank = smtp.messages.find((m) => m.to[0] === "frank@example.org")!;
    const access = await roundForToken(t.db, tokenIn(frank.text), { minCell: 1 });
    expect(access.ok && access.newcomer).toBe(true);
  });

  it("gives up a round's queued e-mail once the round has closed", async () => {
    const survey = await newSurvey("round-mail-closed");
    const report = await importInvitees(
      t.db,
      survey,
      "name,email\nGina Hale,gina@example.org\n",
      actor(),
    );
    await submit(survey, 3, report.links[0].invitationId);
    await startRound(
      t.db,
      survey,
      {
        items: ["priority"],
        opensAt: "",
        closesAt: "2099-01-01",
        participants: "previous",
        newcomers: false,
        reasons: "off",
      },
      actor(),
    );
    expect(await queueRoundEmails(t.db, survey, 2, { base: BASE }, actor())).toEqual({ queued: 1 });
    await t.db
      .updateTable("delphi_rounds")
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where("survey_id", "=", survey.id)
      .execute();
    smtp.messages.length = 0;
    const mailer = mailerFor({ SMTP_URL: smtp.url })!;
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 1 });
    expect(smtp.messages).toEqual([]);
    // And a closed round queues nothing.
    expect(await queueRoundEmails(t.db, survey, 2, { base: BASE }, actor())).toEqual({ queued: 0 });
  });

  it("from the Consensus tab: starting a round e-mails its participants; sending again writes to no one twice", async () => {
    const survey = await newSurvey("round-mail-page");
    const report = await importInvitees(
      t.db,
      survey,
      "name,email\nHana Ito,hana@example.org\nIgor Lenz,igor@example.org\n",
      actor(),
    );
    for (const link of report.links) await submit(survey, 4, link.invitationId);
    const path = `/staff/groups/energy/surveys/${survey.slug}/consensus`;
    const params = { group: "energy", survey: survey.slug };
    const withSmtp = {
      env: { ...testEnv, SMTP_URL: smtp.url, SMTP_FROM: "needsmap@example.org", PUBLIC_URL: BASE },
    };
    smtp.messages.length = 0;
    const started = (await consensusAction(
      actionArgs(
        path,
        t.db,
        {
          intent: "start-round",
          items: ["priority"],
          opensAt: "",
          closesAt: "",
          participants: "previous",
          reasons: "required",
        },
        { params, cookie: coordinator.cookie, context: withSmtp },
      ),
    )) as Response;
    expect(started.headers.get("Location")).toBe(`${path}?started=2&mailed=2&sent=2&failed=0`);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([
      "hana@example.org",
      "igor@example.org",
    ]);
    expect(smtp.messages[0].text).toMatch(ROUND_LINK);

    // The tab reports the round's messages; the send button writes to nobody twice.
    const page = outcome(
      await consensusLoader(
        loaderArgs(path, t.db, { params, cookie: coordinator.cookie, context: withSmtp }),
      ),
    ).data;
    expect(page.mail).toMatchObject({
      round: 2,
      configured: true,
      counts: { queued: 0, sent: 2, failed: 0 },
    });
    smtp.messages.length = 0;
    const again = (await consensusAction(
      actionArgs(
        path,
        t.db,
        { intent: "send-round-emails", round: "2" },
        { params, cookie: coordinator.cookie, context: withSmtp },
      ),
    )) as Response;
    expect(again.headers.get("Location")).toBe(
      `${path}?mailed=0&sent=0&failed=0#round-mail-heading`,
    );
    expect(smtp.messages).toEqual([]);

    // Without SMTP the tab says how participants get the round, and the button is refused.
    const plain = outcome(
      await consensusLoader(loaderArgs(path, t.db, { params, cookie: coordinator.cookie })),
    ).data;
    expect(plain.mail).toMatchObject({ round: 2, configured: false });
    expect(
      await statusOf(
        consensusAction(
          actionArgs(
            path,
            t.db,
            { intent: "send-round-emails", round: "2" },
            { params, cookie: coordinator.cookie },
          ),
        ),
      ),
    ).toBe(409);
  });
});
