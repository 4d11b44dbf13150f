import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  action as invitationsAction,
  loader as invitationsLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.invitations";
import { action as linksAction } from "~/routes/staff.groups.$group_.surveys.$survey.links[.csv]";
import {
  action as emailsAction,
  loader as emailsLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.emails";
import {
  backoffSeconds,
  DEFAULT_TEMPLATES,
  listOutbox,
  mailerFor,
  MAX_ATTEMPTS,
  processOutbox,
  queueEmails,
  renderTemplate,
  retryFailed,
  saveTemplate,
  startEmailSender,
} from "~/server/email.server";
import {
  addInvitee,
  detectDelimiter,
  findInvitationByToken,
  hashToken,
  importInvitees,
  invitationSummary,
  linksCsv,
  linksForTokens,
  listInvitations,
  parseInviteeCsv,
  regenerateAllPending,
  regenerateInvitation,
  revokeInvitation,
  TOKEN_PATTERN,
} from "~/server/invitations.server";
import { createLogger } from "~/server/logger.server";
import {
  createSurvey,
  findSurvey,
  getVersion,
  type ManagedGroup,
  type ManagedSurvey,
} from "~/server/survey-admin.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  accountWithSession,
  multipartArgs,
  outcome,
  startSmtp,
  type TestSmtp,
} from "./manage-helpers";
import { actionArgs, loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";
const BASE = "https://needs.example.org";

const YAML = (slug: string) => `slug: ${slug}
workingGroup: energy
title: { en: Energy round, ru: Энергетика — раунд }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        label: { en: Question, ru: Вопрос }
`;

let t: TestDatabase;
let energy: ManagedGroup;
let coordinator: { id: number; cookie: string };
const actor = () => ({ user: { id: coordinator.id, email: "coord@example.org" }, ip: "127.0.0.1" });

async function newSurvey(slug: string): Promise<ManagedSurvey> {
  const r = await createSurvey(
    t.db,
    { group: energy, text: YAML(slug), origin: "editor" },
    actor(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.survey;
}

async function respond(
  survey: ManagedSurvey,
  invitationId: number,
  status: "in_progress" | "submitted",
) {
  const version = (await getVersion(t.db, survey, null))!;
  await t.db
    .insertInto("responses")
    .values({
      survey_id: survey.id,
      survey_version_id: version.id,
      invitation_id: invitationId,
      locale: "en",
      idempotency_key: `inv-${invitationId}`,
      status,
      submitted_at: status === "submitted" ? new Date() : null,
    })
    .onConflict((oc) =>
      oc
        .columns(["survey_id", "idempotency_key"])
        .doUpdateSet({ status, submitted_at: status === "submitted" ? new Date() : null }),
    )
    .execute();
}

async function countInvitations(surveyId: number): Promise<number> {
  const r = await t.db
    .selectFrom("invitations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("survey_id", "=", surveyId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  energy = await t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  coordinator = await accountWithSession(t.db, "coord@example.org", "coordinator", ["energy"]);
});
afterAll(() => t?.close());

describe(`CSV import (${DRIVER})`, () => {
  it("reads a header in any order and case, a BOM, semicolons, quotes and Cyrillic names", () => {
    const csv =
      '\uFEFFE-Mail;Name;Organisation;COUNTRY;Language\r\nivan@example.ru;Иван Петров;"ИФ РАН; отдел 3";ru;RU\r\n\r\nanna@example.eu;Anna Schmidt;TU Wien;AT;\r\n';
    expect(detectDelimiter(csv)).toBe(";");
    const parsed = parseInviteeCsv(csv);
    expect(parsed.fileProblem).toBeNull();
    expect(parsed.rows).toEqual([
      {
        row: 2,
        values: {
          email: "ivan@example.ru",
          name: "Иван Петров",
          organisation: "ИФ РАН; отдел 3",
          country: "ru",
          language: "RU",
        },
      },
      {
        row: 4,
        values: {
          email: "anna@example.eu",
          name: "Anna Schmidt",
          organisation: "TU Wien",
          country: "AT",
          language: "",
        },
      },
    ]);
  });

  it("imports a clean file, issuing one personal link per invitee (only hashes are stored)", async () => {
    const survey = await newSurvey("csv-good");
    const csv =
      "name,email,country,organisation,language\nИван Петров,Ivan@Example.ru,ru,ИФ РАН,ru\nAnna Schmidt,anna@example.eu,AT,TU Wien,\n";
    const report = await importInvitees(t.db, survey, csv, actor());
    expect(report.imported).toBe(true);
    expect(report.counts).toEqual({ imported: 2, valid: 2, duplicates: 0, invalid: 0 });
    expect(report.rows.map((r) => [r.row, r.outcome.status])).toEqual([
      [2, "imported"],
      [3, "imported"],
    ]);
    expect(report.links).toHaveLength(2);
    for (const link of report.links) expect(link.token).toMatch(TOKEN_PATTERN);
    const stored = await t.db
      .selectFrom("invitations")
      .selectAll()
      .where("survey_id", "=", survey.id)
      .orderBy("id")
      .execute();
    expect(stored.map((s) => [s.name, s.email, s.country, s.locale])).toEqual([
      ["Иван Петров", "ivan@example.ru", "RU", "ru"],
      ["Anna Schmidt", "anna@example.eu", "AT", "en"],
    ]);
    expect(stored[0].token_hash).toBe(hashToken(report.links[0].token));
    expect(JSON.stringify(stored)).not.toContain(report.links[0].token);
    const entry = await t.db
      .selectFrom("audit_log")
      .select(["details", "user_id"])
      .where("action", "=", "invitation.import")
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      user_id: coordinator.id,
      details: { imported: 2, survey: "csv-good" },
    });

    // The same file again: every row is skipped as already invited.
    const again = await importInvitees(t.db, survey, csv, actor());
    expect(again.imported).toBe(false);
    expect(again.rows.map((r) => r.outcome.status)).toEqual([
      "duplicateExisting",
      "duplicateExisting",
    ]);
    expect(await countInvitations(survey.id)).toBe(2);
  });

  it("imports nothing when any row is invalid, and reports each row (all or nothing)", async () => {
    const survey = await newSurvey("csv-bad");
    const csv = [
      "name,email,country,organisation",
      "Good Person,good@example.org,DE,Uni",
      "Bad Email,not-an-email,DE,Uni",
      ",empty-name@example.org,FR,",
      "Repeated,GOOD@example.org,DE,Uni",
      "Мария Иванова,maria@example.ru,RU,МГУ",
    ].join("\n");
    const report = await importInvitees(t.db, survey, csv, actor());
    expect(report.imported).toBe(false);
    expect(report.rows).toEqual([
      { row: 2, name: "Good Person", email: "good@example.org", outcome: { status: "valid" } },
      {
        row: 3,
        name: "Bad Email",
        email: "not-an-email",
        outcome: { status: "invalid", errors: ["emailInvalid"] },
      },
      {
        row: 4,
        name: "",
        email: "empty-name@example.org",
        outcome: { status: "invalid", errors: ["nameRequired"] },
      },
      {
        row: 5,
        name: "Repeated",
        email: "GOOD@example.org",
        outcome: { status: "duplicateInFile", firstRow: 2 },
      },
      { row: 6, name: "Мария Иванова", email: "maria@example.ru", outcome: { status: "valid" } },
    ]);
    expect(report.counts).toEqual({ imported: 0, valid: 2, duplicates: 1, invalid: 2 });
    expect(report.links).toEqual([]);
    expect(await countInvitations(survey.id)).toBe(0);
  });

  it("reports problems of the file as a whole", () => {
    expect(parseInviteeCsv("").fileProblem).toEqual({ key: "empty" });
    expect(parseInviteeCsv("Иван,ivan@example.ru\n").fileProblem).toEqual({
      key: "missingHeader",
      missing: ["name", "email"],
    });
    expect(parseInviteeCsv("name;organisation\nX;Y\n").fileProblem).toEqual({
      key: "missingHeader",
      missing: ["email"],
    });
    expect(parseInviteeCsv("name,email,Email\n").fileProblem).toEqual({
      key: "duplicateColumn",
      column: "email",
    });
    expect(parseInviteeCsv("name,email\n").fileProblem).toEqual({ key: "noRows" });
    expect(parseInviteeCsv('name,email\n"unclosed,x@example.org\n').fileProblem).toMatchObject({
      key: "unreadable",
    });
  });

  it("imports through the page, shows the links once and downloads them as CSV", async () => {
    const survey = await newSurvey("csv-route");
    const params = { group: "energy", survey: survey.slug };
    const path = `/staff/groups/energy/surveys/${survey.slug}/invitations`;
    const bad = outcome(
      await invitationsAction(
        multipartArgs(
          path,
          t.db,
          {
            intent: "import",
            file: { name: "list.csv", content: "nom,courriel\nA,a@example.org\n" },
          },
          { params, cookie: coordinator.cookie },
        ),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.report.fileProblem).toEqual({
      key: "missingHeader",
      missing: ["name", "email"],
    });

    const ok = outcome(
      await invitationsAction(
        multipartArgs(
          path,
          t.db,
          {
            intent: "import",
            file: { name: "list.csv", content: "name,email\nЕлена,elena@example.ru\n" },
          },
          {
            params,
            cookie: coordinator.cookie,
            context: { env: { ...(await import("./remix")).testEnv, PUBLIC_URL: BASE } },
          },
        ),
      ),
    );
    expect(ok.status).toBe(200);
    expect(ok.data.issued.links).toHaveLength(1);
    const link: string = ok.data.issued.links[0].link;
    expect(link).toMatch(new RegExp(`^${BASE}/i/[A-Za-z0-9_-]{43}$`));

    const csv = (await linksAction(
      actionArgs(
        `/staff/groups/energy/surveys/${survey.slug}/links.csv`,
        t.db,
        { intent: "download", token: [ok.data.issued.links[0].token, "x".repeat(43)] },
        {
          params,
          cookie: coordinator.cookie,
        },
      ),
    )) as Response;
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toMatch(
      /attachment; filename="csv-route-links-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("name,email,country,organisation,language,link\r\n")).toBe(true);
    expect(text).toContain("Елена,elena@example.ru,,,en,http://localhost/i/");
    expect(text.trim().split("\n")).toHaveLength(2);

    const page = outcome(
      await invitationsLoader(loaderArgs(path, t.db, { params, cookie: coordinator.cookie })),
    ).data;
    expect(
      page.invitations.map((i: { name: string; progress: string }) => [i.name, i.progress]),
    ).toEqual([["Елена", "not_started"]]);
  });
});

describe(`invitation lifecycle (${DRIVER})`, () => {
  let survey: ManagedSurvey;
  beforeAll(async () => {
    survey = await newSurvey("lifecycle-inv");
  });

  it("adds one invitee by hand, whose link works through its hash; duplicates and bad input are refused", async () => {
    const added = await addInvitee(
      t.db,
      survey,
      { name: " Olga ", email: "olga@example.ru", language: "ru" },
      actor(),
    );
    if (!added.ok) throw new Error(JSON.stringify(added));
    expect(await findInvitationByToken(t.db, added.link.token)).toMatchObject({
      id: added.link.invitationId,
      name: "Olga",
      locale: "ru",
      status: "active",
    });
    expect(await findInvitationByToken(t.db, "y".repeat(43))).toBeNull();
    expect(
      await addInvitee(t.db, survey, { name: "Olga again", email: "OLGA@example.ru" }, actor()),
    ).toEqual({
      ok: false,
      errors: { email: "emailAlreadyInvited" },
    });
    expect(
      await addInvitee(t.db, survey, { name: "", email: "x", language: "de" }, actor()),
    ).toEqual({
      ok: false,
      errors: { name: "nameRequired", email: "emailInvalid", language: "languageInvalid" },
    });
  });

  it("revokes (the link stops working), and a new link restores it; the old link stays dead", async () => {
    const added = await addInvitee(
      t.db,
      survey,
      { name: "Pavel", email: "pavel@example.ru" },
      actor(),
    );
    if (!added.ok) throw new Error("setup");
    const id = added.link.invitationId;
    expect(await revokeInvitation(t.db, survey, id, actor())).toEqual({ ok: true });
    expect((await findInvitationByToken(t.db, added.link.token))?.status).toBe("revoked");
    expect(await revokeInvitation(t.db, survey, id, actor())).toEqual({
      ok: false,
      reason: "revoked",
    });

    const renewed = await regenerateInvitation(t.db, survey, id, actor());
    if (!renewed.ok || !renewed.link) throw new Error("regenerate failed");
    expect(renewed.link.token).not.toBe(added.link.token);
    expect(await findInvitationByToken(t.db, added.link.token)).toBeNull();
    expect(await findInvitationByToken(t.db, renewed.link.token)).toMatchObject({
      id,
      status: "active",
    });

    const other = await newSurvey("lifecycle-other");
    expect(await revokeInvitation(t.db, other, id, actor())).toEqual({
      ok: false,
      reason: "notFound",
    });
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("target_type", "=", "invitation")
      .where("target_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      "invitation.add",
      "invitation.revoke",
      "invitation.regenerate",
    ]);
  });

  it("derives each invitee's status from their response, and issues new links only to those who have not submitted", async () => {
    const s = await newSurvey("status-inv");
    const report = await importInvitees(
      t.db,
      s,
      "name,email\nA,a@example.org\nB,b@example.org\nC,c@example.org\n",
      actor(),
    );
    const [a, b] = report.links;
    await respond(s, a.invitationId, "in_progress");
    await respond(s, b.invitationId, "submitted");
    const list = await listInvitations(t.db, s.id);
    expect(list.map((i) => [i.name, i.progress])).toEqual([
      ["A", "in_progress"],
      ["B", "submitted"],
      ["C", "not_started"],
    ]);
    expect(list[0].lastActivityAt).toBeInstanceOf(Date);
    expect(list[2].lastActivityAt).toBeNull();
    expect(await invitationSummary(t.db, s.id)).toMatchObject({
      active: 3,
      notStarted: 1,
      inProgress: 1,
      submitted: 1,
      pending: 2,
    });

    const links = await regenerateAllPending(t.db, s, actor());
    expect(links.map((l) => l.name)).toEqual(["A", "C"]);
    expect(await findInvitationByToken(t.db, a.token)).toBeNull();
    expect(await findInvitationByToken(t.db, b.token)).not.toBeNull();
    const rows = await linksForTokens(
      t.db,
      s.id,
      links.map((l) => l.token),
      BASE,
    );
    expect(linksCsv(rows)).toContain(`A,a@example.org,,,en,${BASE}/i/${links[0].token}`);

    const csv = (await linksAction(
      actionArgs(
        `/staff/groups/energy/surveys/${s.slug}/links.csv`,
        t.db,
        { intent: "regenerate-all", confirm: "yes" },
        {
          params: { group: "energy", survey: s.slug },
          cookie: coordinator.cookie,
        },
      ),
    )) as Response;
    expect((await csv.text()).trim().split("\n")).toHaveLength(3);
    const unconfirmed = (await linksAction(
      actionArgs(
        `/staff/groups/energy/surveys/${s.slug}/links.csv`,
        t.db,
        { intent: "regenerate-all" },
        {
          params: { group: "energy", survey: s.slug },
          cookie: coordinator.cookie,
        },
      ),
    )) as Response;
    expect(unconfirmed.status).toBe(400);
  });

  it("revokes and regenerates through the page", async () => {
    const s = await newSurvey("route-inv");
    const added = await addInvitee(
      t.db,
      s,
      { name: "Route Person", email: "route@example.org" },
      actor(),
    );
    if (!added.ok) throw new Error("setup");
    const params = { group: "energy", survey: s.slug };
    const path = `/staff/groups/energy/surveys/${s.slug}/invitations`;
    const regen = outcome(
      await invitationsAction(
        actionArgs(
          path,
          t.db,
          { intent: "regenerate", id: String(added.link.invitationId) },
          { params, cookie: coordinator.cookie },
        ),
      ),
    );
    expect(regen.data.kind).toBe("regenerate");
    expect(await findInvitationByToken(t.db, regen.data.issued.links[0].token)).not.toBeNull();
    const revoked = (await invitationsAction(
      actionArgs(
        path,
        t.db,
        { intent: "revoke", id: String(added.link.invitationId) },
        { params, cookie: coordinator.cookie },
      ),
    )) as Response;
    expect(revoked.headers.get("Location")).toBe(
      `${path}?notice=revoked&id=${added.link.invitationId}`,
    );
    const addBad = outcome(
      await invitationsAction(
        actionArgs(
          path,
          t.db,
          { intent: "add", name: "", email: "x" },
          { params, cookie: coordinator.cookie },
        ),
      ),
    );
    expect(addBad.status).toBe(400);
    expect(addBad.data.errors).toEqual({
      name: "manage.invitations.errors.nameRequired",
      email: "manage.invitations.errors.emailInvalid",
    });
    expect(addBad.data.values.email).toBe("x");
  });
});

describe(`e-mail (${DRIVER})`, () => {
  let smtp: TestSmtp;
  let survey: ManagedSurvey;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    smtp = await startSmtp();
    survey = await newSurvey("email-round");
    const report = await importInvitees(
      t.db,
      survey,
      "name,email,language\nАлексей Смирнов,alexey@example.ru,ru\nJane Doe,jane@example.org,en\nDone Already,done@example.org,en\n",
      actor(),
    );
    tokens = Object.fromEntries(report.links.map((l) => [l.email!, l.token]));
    const done = report.links.find((l) => l.email === "done@example.org")!;
    await respond(survey, done.invitationId, "submitted");
  });
  afterAll(() => smtp?.close());

  it("fills templates in the invitee's language", () => {
    const r = renderTemplate(DEFAULT_TEMPLATES.invitation.ru, {
      name: "Иван",
      link: "L",
      survey: "S",
      closes: "C",
    });
    expect(r.subject).toBe("Приглашение: S");
    expect(r.body).toContain("Уважаемый(-ая) Иван!");
    expect(
      renderTemplate(
        { subject: "{unknown}\n{name}", body: "{link}" },
        { name: "N", link: "L", survey: "", closes: "" },
      ),
    ).toEqual({
      subject: "{unknown} N",
      body: "L",
    });
  });

  it("sends invitations to a local SMTP server in both languages, with each invitee's new link", async () => {
    const queued = await queueEmails(t.db, survey, "invitation", { base: BASE }, actor());
    expect(queued).toEqual({ queued: 2 });
    // A queued message holds no link yet: the link downloaded after the import still works.
    expect((await findInvitationByToken(t.db, tokens["jane@example.org"]))?.email).toBe(
      "jane@example.org",
    );

    const mailer = mailerFor({ SMTP_URL: smtp.url })!;
    const result = await processOutbox(t.db, mailer, {
      from: "needsmap@example.org",
      surveyId: survey.id,
    });
    expect(result).toEqual({ sent: 2, failed: 0 });
    // Each message carried a new link: once it was delivered, the earlier link stopped working.
    expect(await findInvitationByToken(t.db, tokens["jane@example.org"])).toBeNull();
    expect(smtp.messages).toHaveLength(2);
    const ru = smtp.messages.find((m) => m.to.includes("alexey@example.ru"))!;
    const en = smtp.messages.find((m) => m.to.includes("jane@example.org"))!;
    expect(ru.from).toBe("needsmap@example.org");
    expect(ru.subject).toBe("Приглашение: Энергетика — раунд");
    expect(ru.text).toContain("Уважаемый(-ая) Алексей Смирнов!");
    expect(en.subject).toBe("Invitation: Energy round");
    expect(en.text).toContain("Dear Jane Doe,");
    for (const m of [ru, en]) {
      const token = new RegExp(`${BASE.replace(/\./g, "\\.")}/i/([A-Za-z0-9_-]{43})`).exec(
        m.text,
      )?.[1];
      expect(token).toBeDefined();
      expect((await findInvitationByToken(t.db, token!))?.email).toBe(m.to[0]);
    }

    const outbox = await listOutbox(t.db, survey.id);
    expect(outbox.every((m) => m.status === "sent" && m.attempts === 1 && m.sentAt)).toBe(true);
    const stored = await t.db
      .selectFrom("email_outbox")
      .select("body")
      .where("survey_id", "=", survey.id)
      .execute();
    expect(
      stored.every((m) => m.body.includes("/i/…") && !/\/i\/[A-Za-z0-9_-]{43}/.test(m.body)),
    ).toBe(true);
    const invitees = await listInvitations(t.db, survey.id);
    expect(
      invitees
        .filter((i) => i.lastSentAt)
        .map((i) => i.email)
        .sort(),
    ).toEqual(["alexey@example.ru", "jane@example.org"]);
    // Nobody gets a second invitation.
    expect(await queueEmails(t.db, survey, "invitation", { base: BASE }, actor())).toEqual({
      queued: 0,
    });
    const audited = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor"])
      .where("action", "in", ["email.queue", "email.send"])
      .execute();
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: "email.queue", actor: "coord@example.org" },
        { action: "email.send", actor: "email-sender" },
      ]),
    );
  });

  it("sends reminders only to invitees who have not submitted (and are not revoked), from an edited template", async () => {
    expect(
      await saveTemplate(
        t.db,
        survey,
        {
          kind: "reminder",
          locale: "en",
          subject: "Please answer {survey}",
          body: "Hi {name}: {link}",
        },
        actor(),
      ),
    ).toEqual({ ok: true });
    expect(
      await saveTemplate(
        t.db,
        survey,
        { kind: "reminder", locale: "en", subject: "", body: "no link" },
        actor(),
      ),
    ).toEqual({
      ok: false,
      errors: { subject: "subjectRequired", body: "bodyNeedsLink" },
    });
    const jane = (await listInvitations(t.db, survey.id)).find(
      (i) => i.email === "jane@example.org",
    )!;
    await respond(survey, jane.id, "in_progress");
    const extra = await addInvitee(
      t.db,
      survey,
      { name: "Revoked", email: "revoked@example.org" },
      actor(),
    );
    if (!extra.ok) throw new Error("setup");
    await revokeInvitation(t.db, survey, extra.link.invitationId, actor());

    smtp.messages.length = 0;
    expect(await queueEmails(t.db, survey, "reminder", { base: BASE }, actor())).toEqual({
      queued: 2,
    });
    await processOutbox(t.db, mailerFor({ SMTP_URL: smtp.url })!, { from: "needsmap@example.org" });
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([
      "alexey@example.ru",
      "jane@example.org",
    ]);
    const toJane = smtp.messages.find((m) => m.to[0] === "jane@example.org")!;
    expect(toJane.subject).toBe("Please answer Energy round");
    expect(toJane.text).toMatch(
      /^Hi Jane Doe: https:\/\/needs\.example\.org\/i\/[A-Za-z0-9_-]{43}/,
    );
    expect(smtp.messages.find((m) => m.to[0] === "alexey@example.ru")!.subject).toBe(
      "Напоминание: Энергетика — раунд",
    );
  });

  it("marks a message failed when the server refuses it, schedules a retry with backoff, and retries on request", async () => {
    const failing = await startSmtp({ fail: true });
    try {
      const s = await newSurvey("email-failing");
      await addInvitee(t.db, s, { name: "Unlucky", email: "unlucky@example.org" }, actor());
      await queueEmails(t.db, s, "invitation", { base: BASE }, actor());
      const mailer = mailerFor({ SMTP_URL: failing.url })!;
      const started = Date.now();
      expect(
        await processOutbox(t.db, mailer, { from: "needsmap@example.org", surveyId: s.id }),
      ).toEqual({ sent: 0, failed: 1 });
      let [message] = await listOutbox(t.db, s.id);
      expect(message).toMatchObject({ status: "failed", attempts: 1, givenUp: false });
      expect(message.lastError).toMatch(/451|unavailable/i);
      const delay = message.nextAttemptAt.getTime() - started;
      expect(delay).toBeGreaterThan(backoffSeconds(1) * 1000 - 5000);
      expect(delay).toBeLessThan(backoffSeconds(1) * 1000 + 30_000);
      expect(backoffSeconds(2)).toBe(120);

      // Not due yet: nothing is attempted.
      expect(await processOutbox(t.db, mailer, { from: "x@example.org", surveyId: s.id })).toEqual({
        sent: 0,
        failed: 0,
      });
      // Due again: attempted again, until MAX_ATTEMPTS.
      for (let attempt = 2; attempt <= MAX_ATTEMPTS + 1; attempt++) {
        await t.db
          .updateTable("email_outbox")
          .set({ next_attempt_at: new Date(Date.now() - 1000) })
          .where("survey_id", "=", s.id)
          .execute();
        await processOutbox(t.db, mailer, { from: "x@example.org", surveyId: s.id });
      }
      [message] = await listOutbox(t.db, s.id);
      expect(message).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, givenUp: true });

      // "Retry failed" queues it again, and it goes out once the server accepts it.
      expect(await retryFailed(t.db, s, actor())).toBe(1);
      expect(
        await processOutbox(t.db, mailerFor({ SMTP_URL: smtp.url })!, {
          from: "x@example.org",
          surveyId: s.id,
        }),
      ).toEqual({ sent: 1, failed: 0 });
      [message] = await listOutbox(t.db, s.id);
      expect(message.status).toBe("sent");
    } finally {
      await failing.close();
    }
  });

  it("never sends one message twice when senders run at the same time", async () => {
    const s = await newSurvey("email-concurrent");
    await importInvitees(
      t.db,
      s,
      `name,email\n${Array.from({ length: 6 }, (_, i) => `P${i},p${i}@example.org`).join("\n")}\n`,
      actor(),
    );
    await queueEmails(t.db, s, "invitation", { base: BASE }, actor());
    smtp.messages.length = 0;
    const mailer = mailerFor({ SMTP_URL: smtp.url })!;
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        processOutbox(t.db, mailer, { from: "x@example.org", surveyId: s.id, limit: 3 }),
      ),
    );
    let sent = results.reduce((n, r) => n + r.sent, 0);
    sent += (await processOutbox(t.db, mailer, { from: "x@example.org", surveyId: s.id })).sent;
    expect(sent).toBe(6);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `p${i}@example.org`),
    );
  });

  it("sends from the pages: send invitations, outbox, templates; without SMTP the page explains the manual way", async () => {
    const s = await newSurvey("email-pages");
    await addInvitee(t.db, s, { name: "Page Person", email: "page@example.org" }, actor());
    const params = { group: "energy", survey: s.slug };
    const { testEnv } = await import("./remix");
    const withSmtp = {
      env: {
        ...testEnv,
        SMTP_URL: smtp.url,
        SMTP_FROM: "Needsmap <needsmap@example.org>",
        PUBLIC_URL: BASE,
      },
    };
    smtp.messages.length = 0;
    const sent = (await invitationsAction(
      actionArgs(
        `/staff/groups/energy/surveys/${s.slug}/invitations`,
        t.db,
        { intent: "send-invitations" },
        { params, cookie: coordinator.cookie, context: withSmtp },
      ),
    )) as Response;
    expect(sent.headers.get("Location")).toContain("notice=queued&count=1&sent=1&failed=0");
    expect(smtp.messages.map((m) => m.to[0])).toEqual(["page@example.org"]);
    expect(smtp.messages[0].text).toContain(`${BASE}/i/`);

    const emails = outcome(
      await emailsLoader(
        loaderArgs(`/staff/groups/energy/surveys/${s.slug}/emails`, t.db, {
          params,
          cookie: coordinator.cookie,
          context: withSmtp,
        }),
      ),
    ).data;
    expect(emails.configured).toBe(true);
    expect(emails.counts).toMatchObject({ sent: 1 });
    expect(emails.templates).toHaveLength(6);

    const saved = (await emailsAction(
      actionArgs(
        `/staff/groups/energy/surveys/${s.slug}/emails`,
        t.db,
        {
          intent: "save-template",
          kind: "invitation",
          locale: "ru",
          subject: "Тема",
          body: "Текст {link}",
        },
        {
          params,
          cookie: coordinator.cookie,
        },
      ),
    )) as Response;
    expect(saved.headers.get("Location")).toContain("notice=saved");
    const bad = outcome(
      await emailsAction(
        actionArgs(
          `/staff/groups/energy/surveys/${s.slug}/emails`,
          t.db,
          {
            intent: "save-template",
            kind: "invitation",
            locale: "ru",
            subject: "Тема",
            body: "без ссылки",
          },
          {
            params,
            cookie: coordinator.cookie,
          },
        ),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.body).toBe("manage.emails.errors.bodyNeedsLink");
    expect(bad.data.values.body).toBe("без ссылки");

    const without = outcome(
      await invitationsLoader(
        loaderArgs(`/staff/groups/energy/surveys/${s.slug}/invitations`, t.db, {
          params,
          cookie: coordinator.cookie,
        }),
      ),
    ).data;
    expect(without.email).toBe(false);
    const refused = await invitationsAction(
      actionArgs(
        `/staff/groups/energy/surveys/${s.slug}/invitations`,
        t.db,
        { intent: "send-reminders" },
        { params, cookie: coordinator.cookie },
      ),
    ).catch((e: unknown) => e);
    expect((refused as Response).status).toBe(409);
    expect((await findSurvey(t.db, energy.id, s.slug))?.id).toBe(s.id);
  });

  it("starts the periodic sender only when SMTP_URL is set", () => {
    const stop = startEmailSender(
      t.db,
      { SMTP_URL: undefined, SMTP_FROM: undefined },
      createLogger("silent"),
    );
    expect(typeof stop).toBe("function");
    stop();
    const stop2 = startEmailSender(
      t.db,
      { SMTP_URL: smtp.url, SMTP_FROM: undefined },
      createLogger("silent"),
      60_000,
    );
    stop2();
  });
});
