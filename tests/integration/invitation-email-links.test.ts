/**
 * Personal links in e-mails are credentials (docs/decisions/014-links-composed-when-sent.md):
 *
 * - a queued or failed message holds no usable link anywhere in the database;
 * - an invitee's earlier link keeps working until a message with a new link has been delivered
 *   (accepted by the SMTP server); then the new link works and the earlier one ends;
 * - messages queued before links were composed at send time lose their link in the migration.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as outboxLinksAtSend from "#db/migrations/2026_12_05_0009_outbox_links_at_send";
import {
  listOutbox,
  type Mailer,
  mailerFor,
  processOutbox,
  queueEmails,
} from "~/server/email.server";
import {
  addInvitee,
  findInvitationByToken,
  hashToken,
  importInvitees,
} from "~/server/invitations.server";
import { createSurvey, type ManagedSurvey } from "~/server/survey-admin.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { findInDatabase } from "./db-search";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, startSmtp, type TestSmtp } from "./manage-helpers";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";
const BASE = "https://needs.example.org";
const LINK = /https:\/\/needs\.example\.org\/i\/([A-Za-z0-9_-]{43})/;

const YAML = (slug: string) => `slug: ${slug}
workingGroup: energy
title: { en: Energy links, ru: Энергетика — ссылки }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        label: { en: Question, ru: Вопрос }
`;

let t: TestDatabase;
let smtp: TestSmtp;
let refusing: TestSmtp;
let coordinator: { id: number };
const actor = () => ({
  user: { id: coordinator.id, email: "links-coord@example.org" },
  ip: "127.0.0.1",
});

async function newSurvey(slug: string): Promise<ManagedSurvey> {
  const energy = await t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  const r = await createSurvey(t.db, { group: energy, text: YAML(slug), origin: "editor" }, actor());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.survey;
}

/** A mailer on a real SMTP server that also keeps each message it was asked to send. */
function recording(server: TestSmtp): Mailer & { attempted: { to: string; text: string }[] } {
  const transport = mailerFor({ SMTP_URL: server.url })!;
  const attempted: { to: string; text: string }[] = [];
  return {
    attempted,
    sendMail(message) {
      attempted.push({ to: message.to, text: message.text });
      return transport.sendMail(message);
    },
  };
}

const tokenIn = (text: string) => {
  const token = LINK.exec(text)?.[1];
  if (!token) throw new Error(`no personal link in: ${text}`);
  return token;
};

/** Makes every message of a survey due now (as if its retry time had come). */
async function due(surveyId: number) {
  await t.db
    .updateTable("email_outbox")
    .set({ next_attempt_at: new Date(Date.now() - 1000) })
    .where("survey_id", "=", surveyId)
    .execute();
}

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  coordinator = await accountWithSession(t.db, "links-coord@example.org", "coordinator", [
    "energy",
  ]);
  smtp = await startSmtp();
  refusing = await startSmtp({ fail: true });
});
afterAll(async () => {
  await smtp?.close();
  await refusing?.close();
  await t?.close();
});

describe(`personal links in e-mails (${DRIVER})`, () => {
  it("a failed send leaves no usable link in the database and the earlier link working; a delivered one ends it", async () => {
    const survey = await newSurvey("links-failing");
    const report = await importInvitees(
      t.db,
      survey,
      "name,email,organisation\nIrma Vogt,irma@example.org,Energy Lab\n",
      actor(),
    );
    const downloaded = report.links[0].token; // the link the coordinator downloaded after the import
    const id = report.links[0].invitationId;

    expect(await queueEmails(t.db, survey, "invitation", { base: BASE }, actor())).toEqual({
      queued: 1,
    });
    // Queued: the downloaded link still works, and the queued message holds no link.
    expect((await findInvitationByToken(t.db, downloaded))?.id).toBe(id);
    const queued = await t.db
      .selectFrom("email_outbox")
      .select(["subject", "body"])
      .where("survey_id", "=", survey.id)
      .executeTakeFirstOrThrow();
    expect(queued.body).toContain(`${BASE}/i/…`);
    expect(queued.body).toContain("Dear Irma Vogt,");
    expect(queued.body).not.toMatch(/\/i\/[A-Za-z0-9_-]{43}/);

    // The SMTP server refuses the message.
    const failing = recording(refusing);
    expect(
      await processOutbox(t.db, failing, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 1 });
    expect(failing.attempted).toHaveLength(1);
    const attemptedLink = LINK.exec(failing.attempted[0].text)![0];
    const attemptedToken = tokenIn(failing.attempted[0].text);
    expect((await listOutbox(t.db, survey.id))[0]).toMatchObject({ status: "failed" });
    // Nothing in the outbox, the invitations or anywhere else holds the link that was not delivered.
    expect(
      await findInDatabase(t.db, [attemptedToken, attemptedLink], ["email_outbox", "invitations"]),
    ).toEqual([]);
    expect(await findInDatabase(t.db, [attemptedToken])).toEqual([]);
    expect(await findInvitationByToken(t.db, attemptedToken)).toBeNull();
    // … and the invitee's earlier link keeps working.
    expect(await findInvitationByToken(t.db, downloaded)).toMatchObject({ id, status: "active" });
    const invitation = await t.db
      .selectFrom("invitations")
      .select(["token_hash", "last_sent_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ token_hash: hashToken(downloaded), last_sent_at: null });

    // The retry goes out: the delivered link works, the earlier one ends.
    await due(survey.id);
    smtp.messages.length = 0;
    expect(
      await processOutbox(t.db, mailerFor({ SMTP_URL: smtp.url })!, {
        from: "needsmap@example.org",
        surveyId: survey.id,
      }),
    ).toEqual({ sent: 1, failed: 0 });
    expect(smtp.messages.map((m) => m.to[0])).toEqual(["irma@example.org"]);
    const delivered = tokenIn(smtp.messages[0].text);
    expect(delivered).not.toBe(attemptedToken);
    expect(smtp.messages[0].text).toContain("Dear Irma Vogt,");
    expect(smtp.messages[0].subject).toBe("Invitation: Energy links");
    expect(await findInvitationByToken(t.db, delivered)).toMatchObject({ id, status: "active" });
    expect(await findInvitationByToken(t.db, downloaded)).toBeNull();
    expect(await findInvitationByToken(t.db, attemptedToken)).toBeNull();
    // The stored copy of the sent message shows the link masked.
    expect(await findInDatabase(t.db, [delivered])).toEqual([]);
    const sent = await t.db
      .selectFrom("email_outbox")
      .select(["status", "body"])
      .where("survey_id", "=", survey.id)
      .executeTakeFirstOrThrow();
    expect(sent.status).toBe("sent");
    expect(sent.body).toContain(`${BASE}/i/…`);

    // A reminder that cannot be delivered leaves the link of the invitation e-mail working.
    expect(await queueEmails(t.db, survey, "reminder", { base: BASE }, actor())).toEqual({
      queued: 1,
    });
    const failingAgain = recording(refusing);
    expect(
      await processOutbox(t.db, failingAgain, {
        from: "needsmap@example.org",
        surveyId: survey.id,
      }),
    ).toEqual({ sent: 0, failed: 1 });
    const refusedReminder = tokenIn(failingAgain.attempted[0].text);
    expect(await findInDatabase(t.db, [refusedReminder])).toEqual([]);
    expect(await findInvitationByToken(t.db, refusedReminder)).toBeNull();
    expect(await findInvitationByToken(t.db, delivered)).toMatchObject({ id });
  });

  it("a message for an invitation revoked before it was sent is not sent, and issues no link", async () => {
    const survey = await newSurvey("links-revoked");
    const added = await addInvitee(
      t.db,
      survey,
      { name: "Gone Later", email: "gone@example.org" },
      actor(),
    );
    if (!added.ok) throw new Error("setup");
    await queueEmails(t.db, survey, "invitation", { base: BASE }, actor());
    // Revoked while the message is being sent (revoking drops only queued and failed messages).
    await t.db
      .updateTable("email_outbox")
      .set({ status: "sending", next_attempt_at: new Date(Date.now() - 1000) })
      .where("survey_id", "=", survey.id)
      .execute();
    await t.db
      .updateTable("invitations")
      .set({ status: "revoked", revoked_at: new Date() })
      .where("id", "=", added.link.invitationId)
      .execute();
    const mailer = recording(smtp);
    expect(
      await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: survey.id }),
    ).toEqual({ sent: 0, failed: 1 });
    expect(mailer.attempted).toEqual([]);
    expect((await listOutbox(t.db, survey.id))[0]).toMatchObject({
      status: "failed",
      givenUp: true,
    });
  });

  it("the migration takes the working links out of messages queued before it", async () => {
    const survey = await newSurvey("links-migration");
    const added = await addInvitee(
      t.db,
      survey,
      { name: "Old Queue", email: "old@example.org", language: "ru" },
      actor(),
    );
    if (!added.ok) throw new Error("setup");
    const token = added.link.token;
    // The outbox as it was before the migration: the link in the body.
    await outboxLinksAtSend.down(t.db);
    try {
      await sql`insert into email_outbox (survey_id, invitation_id, kind, to_address, subject, body)
        values (${survey.id}, ${added.link.invitationId}, 'invitation', 'old@example.org',
                'Приглашение', ${`Ваша ссылка:\n${BASE}/i/${token}\n`})`.execute(t.db);
    } finally {
      await outboxLinksAtSend.up(t.db);
    }
    expect(await findInDatabase(t.db, [token])).toEqual([]);
    const row = await t.db
      .selectFrom("email_outbox")
      .select(["body", "locale", "link_base"])
      .where("survey_id", "=", survey.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      body: `Ваша ссылка:\n${BASE}/i/…\n`,
      locale: "ru",
      link_base: BASE,
    });
    // It is sent with a new link, in the invitee's language.
    smtp.messages.length = 0;
    expect(
      await processOutbox(t.db, mailerFor({ SMTP_URL: smtp.url })!, {
        from: "needsmap@example.org",
        surveyId: survey.id,
      }),
    ).toEqual({ sent: 1, failed: 0 });
    expect(smtp.messages[0].subject).toBe("Приглашение: Энергетика — ссылки");
    const delivered = tokenIn(smtp.messages[0].text);
    expect(await findInvitationByToken(t.db, delivered)).toMatchObject({
      id: added.link.invitationId,
    });
  });
});
