/**
 * Erasing an invitee on request leaves no personal data in the database:
 *
 * - `npm run response:erase` on a response given through a personal invitation erases the
 *   invitee too: their invitation, their e-mails in the outbox, and their name, e-mail address and
 *   organisation in the audit log, whose entries stay with a pseudonym;
 * - the invitations page erases an invitee (coordinator of the survey's group, after a
 *   confirmation), recorded as `invitation.erased` under the pseudonym; other groups are refused.
 *
 * After each erasure every text and JSON column of every table is searched for the person.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  action as invitationsAction,
  loader as invitationsLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.invitations";
import { audit } from "~/server/audit.server";
import { mailerFor, processOutbox, queueEmails } from "~/server/email.server";
import { eraseInvitee, eraseResponse, inviteePseudonym } from "~/server/erasure.server";
import { addInvitee, regenerateInvitation, revokeInvitation } from "~/server/invitations.server";
import { newReference } from "~/server/responses";
import {
  createSurvey,
  getVersion,
  type ManagedGroup,
  type ManagedSurvey,
} from "~/server/survey-admin.server";
import { tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { findInDatabase } from "./db-search";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, outcome, startSmtp, statusOf, type TestSmtp } from "./manage-helpers";
import { actionArgs, loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";
const BASE = "https://needs.example.org";

const YAML = (slug: string, group: string) => `slug: ${slug}
workingGroup: ${group}
title: { en: Erasure round, ru: Раунд удаления }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        label: { en: Question, ru: Вопрос }
`;

interface Person {
  name: string;
  email: string;
  organisation: string;
}

interface Invited extends Person {
  id: number;
  reference: string;
}

let t: TestDatabase;
let smtp: TestSmtp;
let refusing: TestSmtp;
let energy: ManagedGroup;
let health: ManagedGroup;
let survey: ManagedSurvey;
let healthSurvey: ManagedSurvey;
let coordinator: { id: number; cookie: string };
let otherCoordinator: { id: number; cookie: string };
const COORDINATOR = "erase-coord@example.org";
const actor = () => ({ user: { id: coordinator.id, email: COORDINATOR }, ip: "127.0.0.1" });

async function group(slug: string): Promise<ManagedGroup> {
  return t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
}

async function newSurvey(g: ManagedGroup, slug: string): Promise<ManagedSurvey> {
  const r = await createSurvey(
    t.db,
    { group: g, text: YAML(slug, g.slug), origin: "editor" },
    actor(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.survey;
}

/**
 * Invites a person and leaves their data wherever the application keeps it: the invitation, the
 * audit log (added, revoked, restored), a sent invitation e-mail and a failed reminder, a submitted
 * response whose free-text answer names them (tagged with a theme by the coordinator).
 */
async function invite(person: Person): Promise<Invited> {
  const added = await addInvitee(
    t.db,
    survey,
    { ...person, country: "FR", language: "en" },
    actor(),
  );
  if (!added.ok) throw new Error(JSON.stringify(added));
  const id = added.link.invitationId;
  await revokeInvitation(t.db, survey, id, actor());
  await regenerateInvitation(t.db, survey, id, actor());
  await queueEmails(t.db, survey, "invitation", { base: BASE }, actor());
  await processOutbox(t.db, mailerFor({ SMTP_URL: smtp.url })!, {
    from: "needsmap@example.org",
    surveyId: survey.id,
  });
  await queueEmails(t.db, survey, "reminder", { base: BASE }, actor());
  await processOutbox(t.db, mailerFor({ SMTP_URL: refusing.url })!, {
    from: "needsmap@example.org",
    surveyId: survey.id,
  });
  const version = (await getVersion(t.db, survey, null))!;
  const reference = newReference();
  const response = await t.db
    .insertInto("responses")
    .values({
      survey_id: survey.id,
      survey_version_id: version.id,
      invitation_id: id,
      locale: "en",
      idempotency_key: `erase-${id}`,
      status: "submitted",
      submitted_at: new Date(),
      reference,
      country: "FR",
      country_group: "eu",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const answer = await t.db
    .insertInto("answers")
    .values({
      response_id: response.id,
      survey_id: survey.id,
      question_key: "q1",
      value_text: `I am ${person.name} of ${person.organisation}, write to ${person.email}`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const tagged = await tagAnswer(
    t.db,
    energy.id,
    answer.id,
    { name: "Mobility" },
    {
      by: actor().user,
      ip: null,
    },
  );
  if (!tagged.ok) throw new Error("tagging failed");
  // An entry about the survey (not the invitation) that quotes the address.
  await audit(t.db, {
    user: actor().user,
    action: "email.bounced",
    targetType: "survey",
    targetId: survey.id,
    details: { survey: survey.slug, to: [person.email.toUpperCase()] },
  });
  return { ...person, id, reference };
}

const needles = (p: Person) => [p.name, p.email, p.organisation];

async function auditAbout(id: number) {
  return t.db
    .selectFrom("audit_log")
    .select(["action", "details"])
    .where("target_type", "=", "invitation")
    .where("target_id", "=", String(id))
    .orderBy("id")
    .execute();
}

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  energy = await group("energy");
  health = await group("health");
  coordinator = await accountWithSession(t.db, COORDINATOR, "coordinator", ["energy"]);
  otherCoordinator = await accountWithSession(t.db, "health-coord@example.org", "coordinator", [
    "health",
  ]);
  smtp = await startSmtp();
  refusing = await startSmtp({ fail: true });
  survey = await newSurvey(energy, "erasure-invitees");
  healthSurvey = await newSurvey(health, "erasure-health");
});
afterAll(async () => {
  await smtp?.close();
  await refusing?.close();
  await t?.close();
});

describe(`erasing an invitee (${DRIVER})`, () => {
  it("response:erase of an invited response erases the invitee everywhere; the audit events stay with a pseudonym", async () => {
    const zora = await invite({
      name: "Zora Quillfeather",
      email: "zora.quillfeather@bramblecote.example",
      organisation: "Bramblecote Soil Institute",
    });
    const kept = await invite({
      name: "Kasimir Underhay",
      email: "kasimir@underhay.example",
      organisation: "Underhay Grid Works",
    });
    // Before: the person is in the invitation, the outbox, the answers and the audit log.
    const before = await findInDatabase(t.db, needles(zora));
    for (const place of ["invitations.", "email_outbox.", "answers.", "audit_log.details"])
      expect(before.some((p) => p.startsWith(place))).toBe(true);
    const eventsBefore = (await auditAbout(zora.id)).map((e) => e.action);
    expect(eventsBefore).toEqual(["invitation.add", "invitation.revoke", "invitation.regenerate"]);
    const keptAudit = await auditAbout(kept.id);

    const result = await eraseResponse(
      t.db,
      { reference: zora.reference },
      { user: null, actor: "cli" },
    );
    const pseudonym = inviteePseudonym(zora.id);
    expect(result).toMatchObject({
      ok: true,
      status: "submitted",
      answers: 1,
      tags: 1,
      // The sent invitation (her failed reminder was replaced by the reminder queued later for everyone).
      invitee: { invitationId: zora.id, pseudonym, messages: 1 },
    });

    expect(await findInDatabase(t.db, needles(zora))).toEqual([]);
    expect(
      await t.db.selectFrom("invitations").select("id").where("id", "=", zora.id).execute(),
    ).toEqual([]);
    // The events about the invitee remain, naming the pseudonym.
    const events = await auditAbout(zora.id);
    expect(events.map((e) => e.action)).toEqual(eventsBefore);
    expect(events[0].details).toEqual({
      survey: survey.slug,
      email: pseudonym,
      name: pseudonym,
    });
    for (const e of events) expect(JSON.stringify(e.details)).toContain(pseudonym);
    const bounced = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "email.bounced")
      .orderBy("id")
      .execute();
    expect(bounced[0].details).toEqual({ survey: survey.slug, to: [pseudonym] });
    const erased = await t.db
      .selectFrom("audit_log")
      .select(["actor", "details"])
      .where("action", "=", "response.erased")
      .executeTakeFirstOrThrow();
    expect(erased.actor).toBe("cli");
    expect(erased.details).toMatchObject({ invitee: pseudonym, messages: 1 });

    // Nobody else is touched.
    expect((await findInDatabase(t.db, needles(kept))).length).toBeGreaterThan(0);
    expect(await auditAbout(kept.id)).toEqual(keptAudit);
    expect(bounced[1].details).toEqual({
      survey: survey.slug,
      to: [kept.email.toUpperCase()],
    });
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "npm run response:erase says the invitation goes too, and erases it with --yes (PostgreSQL)",
    async () => {
      const mira = await invite({
        name: "Mirabel Thornquist",
        email: "mirabel@thornquist.example",
        organisation: "Thornquist Fusion Lab",
      });
      const run = (...args: string[]) =>
        promisify(execFile)(
          path.resolve("node_modules/.bin/tsx"),
          ["scripts/response-erase.ts", ...args],
          {
            env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" },
          },
        );
      const dry = await run("--reference", mira.reference);
      expect(dry.stdout).toContain(`given through invitation ${mira.id}`);
      expect(dry.stdout).toContain(inviteePseudonym(mira.id));
      expect(dry.stdout).not.toContain(mira.name);
      expect((await findInDatabase(t.db, needles(mira))).length).toBeGreaterThan(0);
      const done = await run("--reference", mira.reference, "--yes");
      expect(done.stdout).toMatch(
        new RegExp(
          `erased: 1 answer rows, 1 theme tags; invitation ${mira.id} erased \\(2 e-mails, \\d+ audit entries now name invitee-${mira.id}\\)`,
        ),
      );
      expect(await findInDatabase(t.db, needles(mira))).toEqual([]);
    },
    120_000,
  );

  it("the invitations page erases an invitee after a confirmation, for the group's coordinator only", async () => {
    const dana = await invite({
      name: "Dana Featherstonehaugh",
      email: "dana@featherstone.example",
      organisation: "Featherstone Biofuels",
    });
    const path = `/staff/groups/energy/surveys/${survey.slug}/invitations`;
    const params = { group: "energy", survey: survey.slug };

    // The confirmation step: a page of its own (?erase=<id>), no JavaScript needed.
    const confirm = outcome(
      await invitationsLoader(
        loaderArgs(`${path}?erase=${dana.id}`, t.db, { params, cookie: coordinator.cookie }),
      ),
    ).data;
    expect(confirm.erasing).toMatchObject({ id: dana.id, name: dana.name });

    // Another group's coordinator: refused for this group, and not found through their own survey.
    expect(
      await statusOf(
        invitationsAction(
          actionArgs(
            path,
            t.db,
            { intent: "erase", id: String(dana.id), confirm: "yes" },
            { params, cookie: otherCoordinator.cookie },
          ),
        ),
      ),
    ).toBe(403);
    expect(
      await statusOf(
        invitationsAction(
          actionArgs(
            `/staff/groups/health/surveys/${healthSurvey.slug}/invitations`,
            t.db,
            { intent: "erase", id: String(dana.id), confirm: "yes" },
            {
              params: { group: "health", survey: healthSurvey.slug },
              cookie: otherCoordinator.cookie,
            },
          ),
        ),
      ),
    ).toBe(404);
    expect(await eraseInvitee(t.db, healthSurvey, dana.id, { user: null })).toEqual({
      ok: false,
      reason: "not_found",
    });
    // Without the box ticked: a clear error, nothing erased.
    const unconfirmed = outcome(
      await invitationsAction(
        actionArgs(
          path,
          t.db,
          { intent: "erase", id: String(dana.id) },
          { params, cookie: coordinator.cookie },
        ),
      ),
    );
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toEqual({
      kind: "erase",
      id: dana.id,
      message: "manage.invitations.erase.confirmRequired",
    });
    for (const bad of ["", "abc", "-1", "1.5"]) {
      expect(
        await statusOf(
          invitationsAction(
            actionArgs(
              path,
              t.db,
              { intent: "erase", id: bad, confirm: "yes" },
              { params, cookie: coordinator.cookie },
            ),
          ),
        ),
      ).toBe(400);
    }
    expect((await findInDatabase(t.db, needles(dana))).length).toBeGreaterThan(0);

    const done = outcome(
      await invitationsAction(
        actionArgs(
          path,
          t.db,
          { intent: "erase", id: String(dana.id), confirm: "yes" },
          { params, cookie: coordinator.cookie },
        ),
      ),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`${path}?notice=erased&id=${dana.id}`);
    expect(await findInDatabase(t.db, needles(dana))).toEqual([]);

    const pseudonym = inviteePseudonym(dana.id);
    const events = await auditAbout(dana.id);
    expect(events.map((e) => e.action)).toEqual([
      "invitation.add",
      "invitation.revoke",
      "invitation.regenerate",
      "invitation.erased",
    ]);
    expect(events[3].details).toMatchObject({
      survey: survey.slug,
      invitee: pseudonym,
      response: "submitted",
      answers: 1,
      tags: 1,
      messages: 2,
    });
    const entry = await t.db
      .selectFrom("audit_log")
      .select(["actor", "user_id"])
      .where("action", "=", "invitation.erased")
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor: COORDINATOR, user_id: coordinator.id });

    const after = outcome(
      await invitationsLoader(
        loaderArgs(`${path}?notice=erased&id=${dana.id}`, t.db, {
          params,
          cookie: coordinator.cookie,
        }),
      ),
    ).data;
    expect(after.notice).toMatchObject({ kind: "erased", pseudonym });
    expect(after.invitations.some((i: { id: number }) => i.id === dana.id)).toBe(false);
    // Erasing again: the invitee is gone.
    expect(
      await statusOf(
        invitationsAction(
          actionArgs(
            path,
            t.db,
            { intent: "erase", id: String(dana.id), confirm: "yes" },
            { params, cookie: coordinator.cookie },
          ),
        ),
      ),
    ).toBe(404);
  });
});
