/**
 * Submission rate limits: starting and submitting responses is limited per client address and
 * hour (RESPONSE_RATE_LIMIT, 300 by default), generously, because many members of one
 * institution may answer from behind a single address; the counters live in the database
 * (`rate_limits`), so that several app instances share them. Over the limit, every way of
 * starting or submitting (the start page, a personal link, the review page, the JSON API) is
 * refused with 429 and an explanation, and nothing is stored; other addresses are not affected.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/client";
import { catalogs, translator } from "~/i18n/catalog";
import { action as apiAction } from "~/routes/api.surveys.$slug.responses";
import { action as invitationAction } from "~/routes/i.$token";
import { action as pageAction } from "~/routes/r.$token.p.$page";
import { action as reviewAction } from "~/routes/r.$token.review";
import { action as startAction } from "~/routes/s.$slug";
import { parseEnv } from "~/env.server";
import { signIn } from "~/server/auth.server";
import { hitSubmissionLimit, SUBMISSION_WINDOW_SECONDS } from "~/server/rate-limit.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, testEnv } from "./remix";
import { call, createInvitation, createSurvey, parseQuestionnaireUrl } from "./respond-helpers";

const OPEN = "limits-open";
const INVITE_ONLY = "limits-invite";

const ANSWERS: Record<string, unknown> = {
  org_type: "company",
  instruments: { selected: ["joint_calls"] },
  satisfaction: 5,
  barriers: { visas: 4, customs: 2 },
  priorities: { funding: 1, access: 3, data: 2 },
  needs: [],
  competences: {
    proposal_writing: { importance: 5, current: 2 },
    ipr: { importance: 3, current: 3 },
  },
};

let t: TestDatabase;
let inviteOnlyId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await createSurvey(t.db, everyType, { slug: OPEN });
  inviteOnlyId = (
    await createSurvey(t.db, everyType, { slug: INVITE_ONLY, accessMode: "invitation_only" })
  ).id;
}, 120_000);
afterAll(() => t?.close());

const LIMIT = testEnv.RESPONSE_RATE_LIMIT;

function api(db: Db, ip: string, env = testEnv): Promise<Response> {
  const args = actionArgs(
    `/api/surveys/${OPEN}/responses`,
    db,
    {},
    { params: { slug: OPEN }, context: { clientIp: ip, env } },
  );
  return apiAction({
    ...args,
    request: new Request(`http://localhost/api/surveys/${OPEN}/responses`, {
      method: "POST",
      body: JSON.stringify({ idempotencyKey: randomUUID(), locale: "en", answers: ANSWERS }),
      headers: { "Content-Type": "application/json", Origin: "http://localhost" },
    }),
  });
}

function start(db: Db, ip: string, env = testEnv) {
  return call(() =>
    startAction(
      actionArgs(
        `/s/${OPEN}`,
        db,
        { intent: "start", idempotencyKey: randomUUID(), locale: "en" },
        { params: { slug: OPEN }, context: { clientIp: ip, env } },
      ),
    ),
  );
}

async function counter(ip: string): Promise<number | undefined> {
  const row = await t.db
    .selectFrom("rate_limits")
    .select("count")
    .where("key", "=", `respond:address:${ip}`)
    .executeTakeFirst();
  return row?.count;
}

async function stored() {
  const n = await t.db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n.n);
}

describe("submission rate limits", () => {
  it(`are generous: ${LIMIT} starts and submissions per address and hour by default`, () => {
    expect(LIMIT).toBe(300);
    expect(SUBMISSION_WINDOW_SECONDS).toBe(3600);
  });

  it("let 150 members behind one institutional address start or submit within the hour; the counter is in the database", async () => {
    const ip = "198.51.100.10";
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await api(t.db, ip)).status);
    for (let i = 0; i < 50; i++) statuses.push((await start(t.db, ip)).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 302)).toHaveLength(50);
    expect(await counter(ip)).toBe(150);
  }, 120_000);

  it("refuse every way of starting or submitting over the limit with 429 and an explanation, and store nothing", async () => {
    const ip = "198.51.100.20";
    // A respondent from that address started before the address reached the limit.
    const begun = await start(t.db, ip);
    const { token } = parseQuestionnaireUrl(begun.location);
    const invitation = await createInvitation(t.db, inviteOnlyId);
    await t.db
      .updateTable("rate_limits")
      .set({ count: LIMIT })
      .where("key", "=", `respond:address:${ip}`)
      .execute();
    const before = await stored();

    const page = await start(t.db, ip);
    expect(page.status).toBe(429);
    expect(page.data).toEqual({ reason: "too_many" });
    expect(Number(page.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(page.headers.get("Retry-After"))).toBeLessThanOrEqual(SUBMISSION_WINDOW_SECONDS);
    expect(translator("en", catalogs.en)("respond.errors.tooMany")).toMatch(
      /Too many surveys .* from your network in the last hour/,
    );

    const personal = await call(() =>
      invitationAction(
        actionArgs(
          `/i/${invitation.token}`,
          t.db,
          { intent: "start", idempotencyKey: randomUUID(), locale: "en" },
          { params: { token: invitation.token }, context: { clientIp: ip } },
        ),
      ),
    );
    expect(personal).toMatchObject({ status: 429, data: { reason: "too_many" } });

    const submit = await call(() =>
      reviewAction(
        actionArgs(
          `/r/${token}/review`,
          t.db,
          { intent: "submit" },
          { params: { token }, context: { clientIp: ip } },
        ),
      ),
    );
    expect(submit).toMatchObject({ status: 429, data: { reason: "too_many" } });
    expect(Number(submit.headers.get("Retry-After"))).toBeGreaterThan(0);

    const json = await api(t.db, ip);
    expect(json.status).toBe(429);
    expect(Number(json.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(json.headers.get("Retry-After"))).toBeLessThanOrEqual(SUBMISSION_WINDOW_SECONDS);
    expect(((await json.json()) as { error: string }).error).toMatch(
      /^Too many responses from this network address; try again in \d+ minutes\.$/,
    );

    expect(await stored()).toBe(before);
    // Another address is not affected.
    expect((await api(t.db, "198.51.100.21")).status).toBe(201);
    expect((await start(t.db, "198.51.100.21")).status).toBe(302);
  });

  it("start counting again when the hour is over", async () => {
    const ip = "198.51.100.30";
    await t.db
      .insertInto("rate_limits")
      .values({
        key: `respond:address:${ip}`,
        window_start: new Date(Date.now() - (SUBMISSION_WINDOW_SECONDS + 5) * 1000),
        count: LIMIT + 50,
      })
      .execute();
    expect((await api(t.db, ip)).status).toBe(201);
    expect(await counter(ip)).toBe(1);
  });

  it("follow RESPONSE_RATE_LIMIT; 0 turns them off", async () => {
    const env = (limit: string) =>
      parseEnv({
        NODE_ENV: "test",
        SESSION_SECRET: testEnv.SESSION_SECRET,
        LOG_LEVEL: "silent",
        RESPONSE_RATE_LIMIT: limit,
      });
    const strict = env("3");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await start(t.db, "198.51.100.40", strict)).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
    const off = env("0");
    await t.db
      .insertInto("rate_limits")
      .values({ key: "respond:address:198.51.100.41", window_start: new Date(), count: 100_000 })
      .execute();
    expect((await api(t.db, "198.51.100.41", off)).status).toBe(201);
  });

  it("count an IPv6 client by its /64: many addresses of one prefix share one counter; IPv4 addresses stay apart", async () => {
    const strict = parseEnv({
      NODE_ENV: "test",
      SESSION_SECRET: testEnv.SESSION_SECRET,
      LOG_LEVEL: "silent",
      RESPONSE_RATE_LIMIT: "3",
    });
    const sameLine = ["2001:db8:77:1::1", "2001:db8:77:1::2", "2001:db8:77:1:abcd::9", "2001:db8:77:1:ffff:ffff:ffff:fffe"];
    const statuses: number[] = [];
    for (const ip of sameLine) statuses.push((await start(t.db, ip, strict)).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
    expect(await counter("2001:db8:77:1::/64")).toBe(4);
    // The neighbouring /64 is someone else.
    expect((await start(t.db, "2001:db8:77:2::1", strict)).status).toBe(302);
    // IPv4 clients, as a dual-stack server sees them, are not lumped together.
    for (let i = 1; i <= 4; i++) expect((await start(t.db, `::ffff:198.51.100.${60 + i}`, strict)).status).toBe(302);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "hold across app instances: two connection pools on one database share the counter exactly",
    async () => {
      // A second app instance: its own connection pool on the same database.
      const other = await createDb({ driver: "pg", url: t.url!, poolSize: 5 });
      try {
        const ip = "198.51.100.50";
        const limit = 40;
        const results = await Promise.all(
          Array.from({ length: 60 }, (_, i) => hitSubmissionLimit(i % 2 ? other : t.db, ip, limit)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(limit);
        expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 60 }, (_, i) => i + 1),
        );
        expect(await counter(ip)).toBe(60);
        // Through the actions: an address at the limit on one instance is refused on the other.
        await t.db
          .updateTable("rate_limits")
          .set({ count: LIMIT - 1 })
          .where("key", "=", `respond:address:${ip}`)
          .execute();
        expect((await api(t.db, ip)).status).toBe(201);
        expect((await api(other, ip)).status).toBe(429);
        expect((await start(t.db, ip)).status).toBe(429);
      } finally {
        await other.destroy();
      }
    },
  );
});

describe("counters", () => {
  it("of windows that ended more than a day ago are deleted at the next sign-in; current ones stay", async () => {
    const old = new Date(Date.now() - 25 * 3600 * 1000);
    await t.db
      .insertInto("rate_limits")
      .values([
        { key: "respond:address:198.51.100.70", window_start: old, count: 12 },
        { key: "sign-in:address:198.51.100.70", window_start: old, count: 3 },
        { key: "respond:address:198.51.100.71", window_start: new Date(), count: 2 },
      ])
      .execute();
    const account = await saveAccount(
      t.db,
      {
        email: "limits-admin@example.org",
        password: "correct horse battery",
        role: "admin",
        groups: [],
        name: "",
      },
      { by: null, actor: "test" },
    );
    expect(account.ok).toBe(true);
    const signedIn = await signIn(t.db, {
      email: "limits-admin@example.org",
      password: "correct horse battery",
      ip: "198.51.100.72",
    });
    expect(signedIn.ok).toBe(true);
    const keys = (
      await t.db
        .selectFrom("rate_limits")
        .select("key")
        .where("key", "like", "%198.51.100.7_")
        .execute()
    ).map((r) => r.key);
    expect(keys).toEqual(["respond:address:198.51.100.71"]);
  });
});

describe("a started response is not limited page by page", () => {
  it("saving pages and drafts does not count: only starts and submissions do", async () => {
    const ip = "198.51.100.60";
    const begun = await start(t.db, ip);
    const { token } = parseQuestionnaireUrl(begun.location);
    for (let i = 0; i < 5; i++) {
      const saved = await call(() =>
        pageAction(
          actionArgs(
            `/r/${token}/p/choices`,
            t.db,
            { intent: "autosave", "q.org_type": "company" },
            { params: { token, page: "choices" }, context: { clientIp: ip } },
          ),
        ),
      );
      expect(saved.status).toBeLessThan(400);
    }
    expect(await counter(ip)).toBe(1);
  });
});
