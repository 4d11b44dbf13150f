import path from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as outcomeLoader } from "~/routes/outcomes.$group";
import { action as needAction } from "~/routes/staff.needs.$need";
import type { SessionUser } from "~/server/auth.server";
import { addDemoResponses } from "~/server/demo.server";
import { currentFiguresOf, figureChoices, resolveEvidence } from "~/server/need-evidence.server";
import {
  changeStatus,
  createNeed,
  gaps,
  linkEvidence,
  linkProgramme,
  listNeeds,
  mergeNeeds,
  needDetail,
  type NeedFormValues,
  publicOutcome,
  setOutcomePage,
  updateNeed,
} from "~/server/needs.server";
import { registerCsv, registerExportRows } from "~/server/needs-export.server";
import { findProgramme, saveProgramme, programmeFormValues, syncProgrammeCatalogue } from "~/server/programmes.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, statusOf } from "./manage-helpers";
import { actionArgs, loaderArgs, testEnv } from "./remix";

let t: TestDatabase;
let admin: SessionUser;
let energy: SessionUser;
let health: SessionUser;
let energyCookie: string;
let healthCookie: string;
const groupIds: Record<string, number> = {};
const MIN_CELL = testEnv.MIN_CELL_SIZE;

function userOf(id: number, email: string, role: "admin" | "coordinator", slugs: string[]): SessionUser {
  return { id, email, name: email, role, groupIds: slugs.map((s) => groupIds[s]), groupSlugs: slugs };
}

function needValues(over: Partial<NeedFormValues> = {}): NeedFormValues {
  return {
    title_en: "Access to grid test beds",
    title_ru: "Доступ к испытательным стендам",
    description_en: "",
    description_ru: "",
    category: "",
    horizon: "short_term",
    owner: "",
    notes: "",
    groups: [String(groupIds.energy)],
    ...over,
  };
}

async function auditActions(targetId: number): Promise<string[]> {
  const rows = await t.db
    .selectFrom("audit_log")
    .select("action")
    .where("target_type", "=", "need")
    .where("target_id", "=", String(targetId))
    .orderBy("id")
    .execute();
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  for (const g of await t.db.selectFrom("working_groups").select(["id", "slug"]).execute())
    groupIds[g.slug] = g.id;
  await syncSurveyDirectory(t.db, path.resolve("surveys"));
  await addDemoResponses(t.db, { perSurvey: 15 });
  await syncProgrammeCatalogue(t.db, path.resolve("programmes/catalogue.yaml"));
  const a = await accountWithSession(t.db, "admin@register.test", "admin", []);
  const e = await accountWithSession(t.db, "energy@register.test", "coordinator", ["energy"]);
  const h = await accountWithSession(t.db, "health@register.test", "coordinator", ["health"]);
  admin = userOf(a.id, "admin@register.test", "admin", []);
  energy = userOf(e.id, "energy@register.test", "coordinator", ["energy"]);
  health = userOf(h.id, "health@register.test", "coordinator", ["health"]);
  energyCookie = e.cookie;
  healthCookie = h.cookie;
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe("needs register", () => {
  it("keeps the dashboard's figures at linking beside the current ones, and the need in the audit log", async () => {
    const choices = await figureChoices(t.db, "energy", null, MIN_CELL);
    expect(choices?.categories.length).toBeGreaterThan(0);
    const top = choices!.categories.find((c) => c.figures.priority);
    expect(top).toBeDefined();
    const evidence = await resolveEvidence(t.db, top!.ref, MIN_CELL);
    expect(evidence?.figures).toEqual(top!.figures);
    const created = await createNeed(t.db, energy, needValues(), evidence, { by: energy });
    expect(created.ok).toBe(true);
    const id = (created as { id: number }).id;

    // A later round: more responses change the current figures, not those kept at linking.
    await addDemoResponses(t.db, { perSurvey: 10 });
    const detail = await needDetail(t.db, id, currentFiguresOf(t.db, MIN_CELL));
    expect(detail?.evidence).toHaveLength(1);
    const item = detail!.evidence[0];
    expect(item.atLinking.figures).toEqual(top!.figures);
    expect(item.current).not.toBeNull();
    expect(item.current!.figures.respondents).not.toEqual(item.atLinking.figures.respondents);
    expect(detail?.status).toBe("proposed");
    expect(await auditActions(id)).toEqual(["need.created", "need.evidence_linked"]);
  });

  it("refuses a decline without a reason, and dates every status", async () => {
    const created = await createNeed(t.db, energy, needValues({ title_en: "Visa support" }), null, { by: energy });
    const id = (created as { id: number }).id;
    const refused = await changeStatus(t.db, energy, id, { status: "declined", on_date: "2026-12-01", reason: "" }, { by: energy });
    expect(refused).toEqual({ ok: false, errors: { reason: { key: "register.errors.reason", vars: {} } } });
    const badDate = await changeStatus(t.db, energy, id, { status: "validated", on_date: "2026-02-30" }, { by: energy });
    expect(badDate.ok).toBe(false);
    expect((await changeStatus(t.db, energy, id, { status: "validated", on_date: "2026-12-02" }, { by: energy })).ok).toBe(true);
    const detail = await needDetail(t.db, id, async () => null);
    expect(detail?.status).toBe("validated");
    expect(detail?.statusDate).toBe("2026-12-02");
    expect(detail?.history.map((h) => h.status)).toEqual(["proposed", "validated"]);
  });

  it("lets coordinators change only their groups' needs; a shared need is one record", async () => {
    const shared = await createNeed(
      t.db,
      admin,
      needValues({ title_en: "Shared data infrastructure", groups: [String(groupIds.energy), String(groupIds.health)] }),
      null,
      { by: admin },
    );
    const id = (shared as { id: number }).id;
    expect((await listNeeds(t.db, energy)).some((n) => n.id === id)).toBe(true);
    expect((await listNeeds(t.db, health)).some((n) => n.id === id)).toBe(true);
    // The health coordinator edits, choosing only health: energy stays.
    const edited = await updateNeed(t.db, health, id, needValues({ title_en: "Shared data platform", groups: [String(groupIds.health)] }), { by: health });
    expect(edited.ok).toBe(true);
    const detail = await needDetail(t.db, id, async () => null);
    expect(detail?.groups.map((g) => g.slug).sort()).toEqual(["energy", "health"]);
    // A coordinator cannot give a need to another group.
    const other = await createNeed(t.db, energy, needValues({ groups: [String(groupIds.health)] }), null, { by: energy });
    expect(other).toEqual({ ok: false, errors: { groups: { key: "register.errors.groups" } } });
    // And cannot change an energy-only need through the page.
    const energyOnly = (await createNeed(t.db, energy, needValues({ title_en: "Storage pilots" }), null, { by: energy })) as { id: number };
    const status = await statusOf(
      needAction(
        actionArgs(
          `/staff/needs/${energyOnly.id}`,
          t.db,
          { intent: "status", status: "validated", on_date: "2026-12-03" },
          { params: { need: String(energyOnly.id) }, cookie: healthCookie },
        ),
      ),
    );
    expect(status).toBe(403);
    expect(energyCookie).not.toBe("");
  });

  it("merges two needs keeping both histories, the evidence and the programmes", async () => {
    const choices = await figureChoices(t.db, "energy", null, MIN_CELL);
    const a = (await createNeed(t.db, energy, needValues({ title_en: "Merge target" }), null, { by: energy })) as { id: number };
    const b = (await createNeed(t.db, energy, needValues({ title_en: "Merge source" }), null, { by: energy })) as { id: number };
    const ev = await resolveEvidence(t.db, choices!.borich[0].ref, MIN_CELL);
    expect((await linkEvidence(t.db, b.id, ev!, { by: energy })).ok).toBe(true);
    await changeStatus(t.db, energy, b.id, { status: "validated", on_date: "2026-11-20" }, { by: energy });
    expect((await linkProgramme(t.db, b.id, { programme: "erc-grants", fit: "partial", note: "Only for hosts in the EU" }, { by: energy })).ok).toBe(true);
    expect((await mergeNeeds(t.db, a.id, a.id, { by: energy })).ok).toBe(false);
    expect((await mergeNeeds(t.db, a.id, b.id, { by: energy })).ok).toBe(true);
    const target = await needDetail(t.db, a.id, async () => null);
    expect(target?.evidence.map((e) => e.originNeedId)).toEqual([b.id]);
    expect(target?.coverage.map((c) => [c.code, c.fit, c.note])).toEqual([["erc-grants", "partial", "Only for hosts in the EU"]]);
    expect(target?.merged.map((m) => [m.id, m.history.map((h) => h.status)])).toEqual([[b.id, ["proposed", "validated"]]]);
    expect(target?.history.map((h) => h.status)).toEqual(["proposed"]);
    expect((await listNeeds(t.db, energy)).some((n) => n.id === b.id)).toBe(false);
    // The merged need takes no more changes.
    expect((await changeStatus(t.db, energy, b.id, { status: "addressed", on_date: "2026-12-04" }, { by: energy })).ok).toBe(false);
    expect(await auditActions(a.id)).toContain("need.merged");
  });

  it("lists validated needs with no programme first in the gaps view, and exports them", async () => {
    const covered = (await createNeed(t.db, energy, needValues({ title_en: "Covered need" }), null, { by: energy })) as { id: number };
    const uncovered = (await createNeed(t.db, energy, needValues({ title_en: "Uncovered need" }), null, { by: energy })) as { id: number };
    for (const id of [covered.id, uncovered.id])
      await changeStatus(t.db, energy, id, { status: "validated", on_date: "2026-12-01" }, { by: energy });
    await linkProgramme(t.db, covered.id, { programme: "msca-postdoctoral-fellowships", fit: "full" }, { by: energy });
    const rows = await gaps(t.db, energy, groupIds.energy);
    const order = rows.map((r) => r.id);
    expect(order.indexOf(uncovered.id)).toBeLessThan(order.indexOf(covered.id));
    expect(rows.every((r) => r.status === "validated")).toBe(true);
    const firstCovered = rows.findIndex((r) => r.programmes.length > 0);
    expect(rows.slice(firstCovered).every((r) => r.programmes.length > 0)).toBe(true);

    const exported = await registerExportRows(t.db, energy, MIN_CELL, groupIds.energy);
    const csv = registerCsv(exported);
    expect(csv.split("\r\n")[0]).toContain("need_id,title_en,title_ru,working_groups");
    expect(csv).toContain("msca-postdoctoral-fellowships (full)");
    expect(exported.coverage.some((r) => r[0] === covered.id)).toBe(true);
    // The health coordinator's export holds no energy-only need.
    const theirs = await registerExportRows(t.db, health, MIN_CELL);
    expect(theirs.register.some((r) => r[0] === covered.id)).toBe(false);
  });

  it("shows the public outcome page only when a survey chose to, without owner or notes", async () => {
    const need = (await createNeed(t.db, energy, needValues({ title_en: "Public need", owner: "Dr Secret", notes: "internal" }), null, { by: energy })) as { id: number };
    await changeStatus(t.db, energy, need.id, { status: "in_progress", on_date: "2026-12-01" }, { by: energy });
    expect(await publicOutcome(t.db, "energy")).toBeUndefined();
    const survey = await t.db.selectFrom("surveys").select("id").where("working_group_id", "=", groupIds.energy).executeTakeFirstOrThrow();
    await setOutcomePage(t.db, survey.id, true, { by: energy });
    const outcome = await publicOutcome(t.db, "energy");
    expect(outcome?.needs.map((n) => n.title.en)).toContain("Public need");
    expect(outcome?.needs.every((n) => ["validated", "in_progress", "addressed"].includes(n.status))).toBe(true);
    expect(JSON.stringify(outcome)).not.toContain("Dr Secret");
    expect(JSON.stringify(outcome)).not.toContain("internal");
    const status = await statusOf(outcomeLoader(loaderArgs("/outcomes/health", t.db, { params: { group: "health" } })));
    expect(status).toBe(404);
  });
});

describe("programme catalogue", () => {
  it("keeps a browser edit until the file's entry changes", async () => {
    const erc = await findProgramme(t.db, "erc-grants");
    const values = { ...programmeFormValues(erc!), status_note_en: "Edited in the browser", status_note_ru: "Изменено в браузере" };
    expect((await saveProgramme(t.db, "erc-grants", values, { by: admin })).ok).toBe(true);
    const report = await syncProgrammeCatalogue(t.db, path.resolve("programmes/catalogue.yaml"));
    expect(report.problems).toEqual([]);
    expect((await findProgramme(t.db, "erc-grants"))?.statusNote.en).toBe("Edited in the browser");
    const audit = await t.db.selectFrom("audit_log").select("action").where("action", "=", "programme.updated").execute();
    expect(audit).toHaveLength(1);
  });

  it("refuses an invalid browser edit with the field's message and changes nothing", async () => {
    const erc = await findProgramme(t.db, "erc-grants");
    const result = await saveProgramme(t.db, "erc-grants", { ...programmeFormValues(erc!), url: "http://x", next_deadline: "soon" }, { by: admin });
    expect(result).toEqual({
      ok: false,
      errors: { url: { key: "register.errors.url", vars: {} }, next_deadline: { key: "register.errors.date", vars: {} } },
    });
    expect((await findProgramme(t.db, "erc-grants"))?.url).toBe(erc!.url);
  });

  it("loads nothing from a file with problems", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "catalogue-"));
    const file = path.join(dir, "catalogue.yaml");
    writeFileSync(file, "programmes:\n  - code: Bad Code\n");
    const report = await syncProgrammeCatalogue(t.db, file);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.created + report.updated).toBe(0);
  });
});
