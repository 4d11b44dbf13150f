// Helpers of the respondent end-to-end tests (tests/e2e/respond*.spec.ts): the bundled survey
// definitions read from surveys/*.yaml (blocks expanded), the texts of the respondent pages in
// both languages, a generic filler that answers the visible questions of a questionnaire page
// through its labelled fields, and checks of what the review page and the receipt show.
//
// The filler knows each question's type and options from the definition and evaluates the
// `showIf` conditions itself on the answers it gave, so it also checks that the pages show and
// hide the right questions.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, expect, type Locator, type Page } from "@playwright/test";
import { parse } from "yaml";
import { axeViolations } from "./axe";

// ---------------------------------------------------------------------------------------------
// Survey definitions

export type Locale = "en" | "ru";
export type Text = Record<string, string>;

export interface Choice {
  code: string;
  label: Text;
}

export type Condition =
  | { question: string; equals: string | number }
  | { question: string; oneOf: Array<string | number> }
  | { question: string; answered: true }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

export interface Question {
  key: string;
  type:
    | "single_choice"
    | "multi_choice"
    | "scale"
    | "matrix"
    | "ranking"
    | "number"
    | "text"
    | "long_text"
    | "date"
    | "country"
    | "need_list"
    | "borich";
  label: Text;
  required?: boolean;
  showIf?: Condition;
  options?: Choice[];
  display?: "radio" | "select";
  other?: boolean;
  minSelections?: number;
  maxSelections?: number;
  min?: number | string;
  max?: number | string;
  minLabel?: Text;
  maxLabel?: Text;
  integer?: boolean;
  unit?: Text;
  maxLength?: number;
  rows?: Choice[];
  scale?: { min?: number; max?: number };
  items?: Choice[];
  statements?: Choice[];
  categories?: Choice[];
  minEntries?: number;
  maxEntries?: number;
}

export interface SurveyPage {
  key: string;
  title: Text;
  questions: Question[];
}

export interface Survey {
  slug: string;
  title: Text;
  status?: string;
  accessMode?: string;
  pages: SurveyPage[];
}

const SURVEYS_DIR = fileURLToPath(new URL("../../surveys/", import.meta.url));

function readYaml(file: string): unknown {
  return parse(readFileSync(file, "utf8"));
}

/** Every bundled survey (surveys/*.yaml) with its `include`d blocks expanded, by file name order. */
export function bundledSurveys(): Survey[] {
  return readdirSync(SURVEYS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const raw = readYaml(path.join(SURVEYS_DIR, f)) as Survey & {
        pages: Array<SurveyPage | { include: string }>;
      };
      const pages = raw.pages.map((p) =>
        "include" in p
          ? (readYaml(path.join(SURVEYS_DIR, "blocks", `${p.include}.yaml`)) as SurveyPage)
          : p,
      );
      return { ...raw, pages };
    });
}

export function bundledSurvey(slug: string): Survey {
  const survey = bundledSurveys().find((s) => s.slug === slug);
  if (!survey) throw new Error(`no bundled survey ${slug}`);
  return survey;
}

export function pageOf(survey: Survey, key: string): SurveyPage {
  const page = survey.pages.find((p) => p.key === key);
  if (!page) throw new Error(`${survey.slug} has no page ${key}`);
  return page;
}

export function questionOf(survey: Survey, key: string): Question {
  for (const page of survey.pages) for (const q of page.questions) if (q.key === key) return q;
  throw new Error(`${survey.slug} has no question ${key}`);
}

// ---------------------------------------------------------------------------------------------
// Visibility, as docs/survey-format.md defines it

/** What the filler answered, in the shapes conditions look at. */
export type Answer = string | number | string[] | true;
export type Answers = Record<string, Answer>;

function conditionHolds(c: Condition, answers: Answers): boolean {
  if ("not" in c) return !conditionHolds(c.not, answers);
  if ("all" in c) return c.all.every((x) => conditionHolds(x, answers));
  if ("any" in c) return c.any.some((x) => conditionHolds(x, answers));
  const value = answers[c.question];
  if (value === undefined) return false;
  if ("answered" in c) return true;
  const given = (Array.isArray(value) ? value : [value]).map(String);
  const wanted = ("equals" in c ? [c.equals] : c.oneOf).map(String);
  return given.some((g) => wanted.includes(g));
}

/** The keys of the visible questions, walking the survey in order (hiding cascades). */
export function visibleKeys(survey: Survey, answers: Answers): Set<string> {
  const kept: Answers = {};
  const visible = new Set<string>();
  for (const page of survey.pages) {
    for (const q of page.questions) {
      if (q.showIf && !conditionHolds(q.showIf, kept)) continue;
      visible.add(q.key);
      if (answers[q.key] !== undefined) kept[q.key] = answers[q.key];
    }
  }
  return visible;
}

export function visiblePages(survey: Survey, answers: Answers): SurveyPage[] {
  const visible = visibleKeys(survey, answers);
  return survey.pages.filter((p) => p.questions.some((q) => visible.has(q.key)));
}

// ---------------------------------------------------------------------------------------------
// Texts of the respondent pages

export const UI = {
  en: {
    languageName: "English",
    start: "Start",
    progress: (current: number, total: number) => `Page ${current} of ${total}`,
    required: "(required)",
    next: "Next",
    back: "Back",
    save: "Save and continue later",
    toReview: "Review your answers",
    errorSummary: "There is a problem",
    errorPrefix: "Error:",
    moreQuestions: "Your answers opened more questions on this page.",
    other: "Other, please specify",
    otherAnswer: (text: string) => `Other: ${text}`,
    up: "Up",
    down: "Down",
    needEntry: (n: number) => `Need ${n}`,
    needTitle: "Short title",
    needDescription: "Description (optional)",
    needCategory: "Category",
    needHorizon: "Time horizon",
    horizons: {
      short_term: "Short term (up to 2 years)",
      medium_term: "Medium term (2 to 5 years)",
    },
    needUrgency: "Urgency",
    needImportance: "Importance",
    needAdd: "Add a need",
    needAddAnother: "Add another need",
    borichImportance: "Importance",
    borichCurrent: "Current level",
    dateDay: "Day",
    dateMonth: "Month",
    dateYear: "Year",
    reviewTitle: "Check your answers",
    change: "Change",
    changeOf: (question: string) => `Change your answer to “${question}”`,
    notAnswered: "Not answered",
    submit: "Submit",
    doneTitle: "Thank you",
    submitted: "Your response has been submitted.",
    reference: "Reference number",
    answersHeading: "Your answers",
    savedTitle: "Your answers are saved",
    savedLink: "Your personal link to continue",
  },
  ru: {
    languageName: "Русский",
    start: "Начать",
    progress: (current: number, total: number) => `Страница ${current} из ${total}`,
    required: "(обязательный вопрос)",
    next: "Далее",
    back: "Назад",
    save: "Сохранить и продолжить позже",
    toReview: "Проверить ответы",
    errorSummary: "Есть ошибки",
    errorPrefix: "Ошибка:",
    moreQuestions: "Ваши ответы открыли дополнительные вопросы на этой странице.",
    other: "Другое (уточните)",
    otherAnswer: (text: string) => `Другое: ${text}`,
    up: "Выше",
    down: "Ниже",
    needEntry: (n: number) => `Потребность ${n}`,
    needTitle: "Краткое название",
    needDescription: "Описание (необязательно)",
    needCategory: "Категория",
    needHorizon: "Срок",
    horizons: {
      short_term: "Краткосрочная (до 2 лет)",
      medium_term: "Среднесрочная (от 2 до 5 лет)",
    },
    needUrgency: "Срочность",
    needImportance: "Важность",
    needAdd: "Добавить потребность",
    needAddAnother: "Добавить ещё одну потребность",
    borichImportance: "Важность",
    borichCurrent: "Текущий уровень",
    dateDay: "День",
    dateMonth: "Месяц",
    dateYear: "Год",
    reviewTitle: "Проверьте ваши ответы",
    change: "Изменить",
    changeOf: (question: string) => `Изменить ответ на вопрос «${question}»`,
    notAnswered: "Нет ответа",
    submit: "Отправить",
    doneTitle: "Спасибо!",
    submitted: "Ваша анкета отправлена.",
    reference: "Номер подтверждения",
    answersHeading: "Ваши ответы",
    savedTitle: "Ваши ответы сохранены",
    savedLink: "Ваша персональная ссылка для продолжения",
  },
} as const;

/** A YYYY-MM-DD date as the respondent's language writes it ("30 June 2027", "30 июня 2027 г."). */
export function longDate(value: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${value}T00:00:00Z`));
}

export const REFERENCE = /^NM-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

/** A browser context with or without JavaScript, in English or Russian. */
export async function newRespondentPage(
  browser: Browser,
  options: { js: boolean; locale: Locale; viewport?: { width: number; height: number } },
) {
  const context = await browser.newContext({
    javaScriptEnabled: options.js,
    locale: options.locale === "ru" ? "ru-RU" : "en-GB",
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Waits until React has hydrated the current document and committed it: the heading carries
 * React's fiber key and the document's root is no longer dehydrated (hydration runs in slices,
 * and the fiber keys appear while it is still in progress, before anything is committed).
 * Fails within 60 s with a clear message: a page that never hydrates usually means that its
 * scripts did not load (for example a build replaced while the server was running).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const el = document.querySelector("main h1, h1");
        if (el === null || !Object.keys(el).some((k) => k.startsWith("__reactFiber"))) return false;
        const key = Object.keys(document).find((k) => k.startsWith("__reactContainer"));
        if (!key) return false;
        const fiber = (document as unknown as Record<string, unknown>)[key] as {
          stateNode?: { current?: { memoizedState?: { isDehydrated?: boolean } } };
        };
        return fiber.stateNode?.current?.memoizedState?.isDehydrated === false;
      },
      undefined,
      { timeout: 60_000 },
    )
    .catch((error: Error) => {
      throw new Error(
        `${page.url()} was not hydrated by React (did its scripts load?): ${error.message}`,
      );
    });
}

export function pageKeyOf(url: string): string | null {
  const m = /\/r\/[^/]+\/p\/([a-z][a-z0-9_]*)/.exec(new URL(url).pathname);
  return m ? m[1] : null;
}

export function tokenOf(url: string): string {
  const m = /\/r\/([^/?#]+)/.exec(new URL(url).pathname);
  if (!m) throw new Error(`no response token in ${url}`);
  return m[1];
}

export function questionBox(page: Page, key: string): Locator {
  return page.locator(`[id="question-${key}"]`);
}

// ---------------------------------------------------------------------------------------------
// Filling a questionnaire

export interface FillOptions {
  /** Answer only the required questions. */
  requiredOnly?: boolean;
  /** Chosen option codes by question key (single choice: one code; multi choice: the codes). */
  choices?: Record<string, string | string[]>;
  /** Number of need entries to describe (default 1; at least the question's minimum). */
  needEntries?: number;
  /** Rank with the Up buttons instead of the position selects (JavaScript only). */
  rankWithButtons?: boolean;
  /** Runs on each page once it is filled, before Next. */
  afterFill?: (pageKey: string) => Promise<void>;
}

/** What the review page and the receipt should show for an answered question. */
export interface ExpectedAnswer {
  /** Texts that the answer's summary contains. */
  texts: string[];
  /** For rankings: the item labels in rank order. */
  order?: string[];
}

const COUNTRIES = ["DE", "RU", "FI", "IT", "KZ", "FR"];
const TEXTS = {
  en: {
    text: "Joint calls with aligned deadlines",
    long: ["Aligned funding cycles would help.", "Shorter visa procedures too."],
    other: "Regional programmes",
    need: (n: number) => [
      `Aligned co-funding ${n}`,
      `Both funders commit budgets for the same call cycle (${n}).`,
    ],
  },
  ru: {
    text: "Совместные конкурсы с едиными сроками",
    long: ["Помогут согласованные циклы финансирования.", "И более быстрые визовые процедуры."],
    other: "Региональные программы",
    need: (n: number) => [
      `Согласованное софинансирование ${n}`,
      `Обе стороны выделяют средства в одном цикле конкурса (${n}).`,
    ],
  },
};

/**
 * A respondent answering one survey in one language, with or without JavaScript. Keeps the
 * answers given so far (to evaluate conditions and progress) and what the review should show.
 */
export class Respondent {
  answers: Answers = {};
  expected: Record<string, ExpectedAnswer> = {};
  private countryIndex = 0;

  constructor(
    public page: Page,
    public readonly survey: Survey,
    public readonly locale: Locale,
    public readonly js: boolean,
  ) {}

  get ui() {
    return UI[this.locale];
  }

  /** The same respondent (answers so far) seen in another language or in another browser. */
  with(changes: { locale?: Locale; page?: Page; js?: boolean }): Respondent {
    const other = new Respondent(
      changes.page ?? this.page,
      this.survey,
      changes.locale ?? this.locale,
      changes.js ?? this.js,
    );
    other.answers = this.answers;
    other.expected = this.expected;
    return other;
  }

  t(text: Text | undefined): string {
    return text?.[this.locale] ?? "";
  }

  /** The landing page of the survey, as the respondent's browser opens it. */
  async openLanding(): Promise<void> {
    await this.page.goto(`/s/${this.survey.slug}?lang=${this.locale}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(
      this.t(this.survey.title),
    );
  }

  /** Start on the landing page (in the respondent's language) and land on the first page. */
  async start(): Promise<void> {
    if (this.js) await waitForHydration(this.page);
    await this.page.getByRole("radio", { name: this.ui.languageName }).check();
    await this.page.getByRole("button", { name: this.ui.start, exact: true }).click();
    await this.expectOnPage(visiblePages(this.survey, this.answers)[0].key);
  }

  /** The page the browser is on (by its URL). */
  currentPageKey(): string {
    const key = pageKeyOf(this.page.url());
    if (!key) throw new Error(`not on a questionnaire page: ${this.page.url()}`);
    return key;
  }

  /** Waits for a questionnaire page: its URL, title and the progress indicator. */
  async expectOnPage(pageKey: string): Promise<void> {
    const page = this.page;
    await expect(page).toHaveURL(new RegExp(`/r/[^/]+/p/${pageKey}(\\?|#|$)`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      this.t(pageOf(this.survey, pageKey).title),
    );
    const pages = visiblePages(this.survey, this.answers).map((p) => p.key);
    const index = pages.indexOf(pageKey) + 1;
    const progressText = this.ui.progress(index, pages.length);
    await expect(page.locator("#progress-label")).toHaveText(progressText);
    const bar = page.getByRole("progressbar", { name: progressText });
    await expect(bar).toHaveAttribute("value", String(index));
    await expect(bar).toHaveAttribute("max", String(pages.length));
    if (this.js) await waitForHydration(page);
  }

  /** Whether a question is shown, given the answers so far. */
  isVisible(key: string): boolean {
    return visibleKeys(this.survey, this.answers).has(key);
  }

  /**
   * Answers the visible questions of the current page (in order, so that questions opened by
   * earlier answers are answered too) and checks that the others are hidden. Without
   * JavaScript the page shows what the answers had opened when the server rendered it;
   * questions opened by answers on the same page are returned, to be answered once the
   * server has shown them (see `completePage`).
   */
  async fillPage(options: FillOptions = {}): Promise<string[]> {
    const pageKey = this.currentPageKey();
    const questions = pageOf(this.survey, pageKey).questions;
    const shownAtRender = visibleKeys(this.survey, this.answers);
    const pending: string[] = [];
    for (const q of questions) {
      const box = questionBox(this.page, q.key);
      const visible = this.isVisible(q.key);
      const shown = this.js ? visible : shownAtRender.has(q.key);
      if (!shown) {
        await expect(box, `question ${q.key} should be hidden`).toBeHidden();
        if (visible) pending.push(q.key);
        continue;
      }
      await expect(box, `question ${q.key} should be shown`).toBeVisible();
      if (!visible) continue; // no JavaScript: hidden by an answer on this page once saved
      if (options.requiredOnly && !q.required) continue;
      if (this.answers[q.key] !== undefined) continue;
      await this.answer(q, options);
    }
    return pending;
  }

  /** Presses Next and waits for the next visible page (or the review after the last one). */
  async next(): Promise<void> {
    const pages = visiblePages(this.survey, this.answers).map((p) => p.key);
    const at = pages.indexOf(this.currentPageKey());
    await this.page.getByRole("button", { name: this.ui.next, exact: true }).click();
    if (at === pages.length - 1) await this.expectOnReview();
    else await this.expectOnPage(pages[at + 1]);
  }

  /**
   * Fills the current page and goes on. Without JavaScript, when answers open more questions
   * on the page, Next shows them with a notice first; they are answered and Next pressed again.
   */
  async completePage(options: FillOptions = {}): Promise<void> {
    let pending = await this.fillPage(options);
    while (pending.length > 0) {
      const here = this.currentPageKey();
      await this.page.getByRole("button", { name: this.ui.next, exact: true }).click();
      // The server shows the opened questions with a neutral notice, never with an error
      // (even when one of them is required: the respondent has not made a mistake).
      const notice = this.page.getByRole("status").filter({ hasText: this.ui.moreQuestions });
      await expect(notice).toBeVisible();
      await expect(this.page).toHaveURL(new RegExp(`/p/${here}(\\?|#|$)`));
      await expect(
        this.page.getByRole("alert").filter({ hasText: this.ui.errorSummary }),
      ).toHaveCount(0);
      await expect(this.page.locator(".field-error")).toHaveCount(0);
      pending = await this.fillPage(options);
    }
    await options.afterFill?.(this.currentPageKey());
    await this.next();
  }

  /**
   * Completes every remaining page up to the review; `onPage` runs on each page as it is
   * shown (before it is filled).
   */
  async completeAll(
    options: FillOptions & { onPage?: (pageKey: string) => Promise<void> } = {},
  ): Promise<void> {
    for (;;) {
      const key = pageKeyOf(this.page.url());
      if (!key) break;
      await options.onPage?.(key);
      await this.completePage(options);
    }
  }

  async expectOnReview(): Promise<void> {
    await expect(this.page).toHaveURL(/\/r\/[^/]+\/review(\?|#|$)/);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(this.ui.reviewTitle);
    if (this.js) await waitForHydration(this.page);
  }

  /** Submits on the review page and returns the reference number shown on the receipt. */
  async submit(): Promise<string> {
    await this.page.getByRole("button", { name: this.ui.submit, exact: true }).click();
    return this.expectReceipt();
  }

  async expectReceipt(): Promise<string> {
    await expect(this.page).toHaveURL(/\/r\/[^/]+\/done(\?|#|$)/);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(this.ui.doneTitle);
    await expect(this.page.getByRole("status")).toHaveText(this.ui.submitted);
    const reference = this.page
      .locator("dt", { hasText: this.ui.reference })
      .locator("xpath=following-sibling::dd[1]");
    await expect(reference).toHaveText(REFERENCE);
    return (await reference.textContent())!.trim();
  }

  /**
   * Checks that a review list (the review page, or the receipt's summary) shows every given
   * answer, and "not answered" for the visible questions left out.
   */
  async expectAnswersShown(scope: Locator): Promise<void> {
    const visible = visibleKeys(this.survey, this.answers);
    for (const page of this.survey.pages) {
      for (const q of page.questions) {
        const item = scope.locator(`[id="answer-${q.key}"]`);
        if (!visible.has(q.key)) {
          await expect(item, `${q.key} is hidden and not listed`).toHaveCount(0);
          continue;
        }
        await expect(item.locator(":scope > dt"), `${q.key} is listed`).toHaveText(this.t(q.label));
        const expected = this.expected[q.key];
        if (!expected) {
          await expect(item, `${q.key} not answered`).toContainText(this.ui.notAnswered);
          continue;
        }
        const answer = item.locator(":scope > dd").first();
        for (const text of expected.texts)
          await expect(answer, `${q.key} shows “${text}”`).toContainText(text);
        if (expected.order)
          await expect(answer.locator("li"), `${q.key} in rank order`).toHaveText(expected.order);
      }
    }
  }

  /**
   * Checks that the fields of the current page show the answers given earlier (single and
   * multiple choice, scale, number, text, date, country).
   */
  async expectPageShowsAnswers(): Promise<number> {
    let checked = 0;
    for (const q of pageOf(this.survey, this.currentPageKey()).questions) {
      const answer = this.answers[q.key];
      if (answer === undefined) continue;
      const box = questionBox(this.page, q.key);
      const label = (code: string) => this.t((q.options ?? []).find((o) => o.code === code)?.label);
      switch (q.type) {
        case "single_choice":
          if ((q.display ?? (q.options!.length <= 8 ? "radio" : "select")) === "select") {
            await expect(box.getByRole("combobox")).toHaveValue(String(answer));
          } else {
            await expect(
              box.getByRole("radio", { name: label(String(answer)), exact: true }),
            ).toBeChecked();
          }
          break;
        case "multi_choice":
          for (const code of answer as string[])
            await expect(
              box.getByRole("checkbox", { name: label(code), exact: true }),
            ).toBeChecked();
          break;
        case "scale":
          await expect(box.getByRole("radio", { name: String(answer), exact: true })).toBeChecked();
          break;
        case "number":
        case "text":
        case "long_text":
          await expect(box.getByRole("textbox")).toHaveValue(String(answer));
          break;
        case "date": {
          const [year, month, day] = String(answer).split("-");
          await expect(box.getByRole("textbox", { name: this.ui.dateDay })).toHaveValue(
            String(Number(day)),
          );
          await expect(box.getByRole("textbox", { name: this.ui.dateMonth })).toHaveValue(
            String(Number(month)),
          );
          await expect(box.getByRole("textbox", { name: this.ui.dateYear })).toHaveValue(year);
          break;
        }
        case "country":
          await expect(
            box.getByRole("combobox", { name: new RegExp(`^${escapeRegExp(this.t(q.label))}`) }),
          ).toHaveValue(String(answer));
          break;
        default:
          continue;
      }
      checked++;
    }
    return checked;
  }

  // -------------------------------------------------------------------------------------------
  // One question

  private record(q: Question, answer: Answer, expected: ExpectedAnswer): void {
    this.answers[q.key] = answer;
    this.expected[q.key] = expected;
  }

  /** Answers one question with valid values suited to its type. */
  async answer(q: Question, options: FillOptions = {}): Promise<void> {
    const box = questionBox(this.page, q.key);
    const ui = this.ui;
    const chosen = options.choices?.[q.key];
    switch (q.type) {
      case "single_choice": {
        const options_ = q.options!;
        const code = (chosen as string | undefined) ?? options_[0].code;
        const option = options_.find((o) => o.code === code)!;
        const display = q.display ?? (options_.length <= 8 ? "radio" : "select");
        if (display === "select") {
          await box.getByRole("combobox").selectOption({ label: this.t(option.label) });
        } else {
          await box.getByRole("radio", { name: this.t(option.label), exact: true }).check();
        }
        this.record(q, code, { texts: [this.t(option.label)] });
        break;
      }
      case "multi_choice": {
        const all = q.options!;
        const max = q.maxSelections ?? all.length;
        const min = q.minSelections ?? 0;
        const withOther = Boolean(q.other) && !options.requiredOnly && max > Math.max(min, 1);
        const count = Math.max(min, Math.min(2, max - (withOther ? 1 : 0)), 1);
        const codes = (chosen as string[] | undefined) ?? all.slice(0, count).map((o) => o.code);
        const labels: string[] = [];
        for (const code of codes) {
          const label = this.t(all.find((o) => o.code === code)!.label);
          await box.getByRole("checkbox", { name: label, exact: true }).check();
          labels.push(label);
        }
        if (withOther && !chosen) {
          const text = TEXTS[this.locale].other;
          await box.getByRole("textbox", { name: ui.other, exact: true }).fill(text);
          labels.push(ui.otherAnswer(text));
        }
        this.record(q, codes, { texts: labels });
        break;
      }
      case "scale": {
        const min = Number(q.min ?? 1);
        const max = Number(q.max ?? 5);
        const value = Math.ceil((min + max) / 2);
        await box.getByRole("radio", { name: String(value), exact: true }).check();
        this.record(q, value, { texts: [`${value} / ${max}`] });
        break;
      }
      case "matrix": {
        const min = q.scale?.min ?? 1;
        const max = q.scale?.max ?? 5;
        const texts: string[] = [];
        for (const [i, row] of q.rows!.entries()) {
          const value = min + ((i + 1) % (max - min + 1));
          const label = this.t(row.label);
          // A point of the scale is its label (a large target drawn over the radio): the
          // click lands on the label, which checks the radio, as a respondent's does.
          const radio = box
            .getByRole("group", { name: label, exact: true })
            .getByRole("radio", { name: String(value), exact: true });
          const id = await radio.getAttribute("id");
          await box.locator(`label[for="${id}"]`).click();
          await expect(radio).toBeChecked();
          texts.push(label, `${value} / ${max}`);
        }
        this.record(q, true, { texts });
        break;
      }
      case "ranking": {
        const items = q.items!;
        const labels = items.map((i) => this.t(i.label));
        let order: string[];
        if (options.rankWithButtons && this.js) {
          // The last item moved up to the top, one place at a time.
          const last = labels[labels.length - 1];
          const up = box.getByRole("button", {
            name: new RegExp(`^${escapeRegExp(ui.up)}\\s*:\\s*${escapeRegExp(last)}$`),
          });
          for (let i = 0; i < labels.length - 1; i++) {
            await up.click();
            await expect(box.getByRole("listitem").nth(labels.length - 2 - i)).toContainText(last);
          }
          await expect(up).toBeDisabled();
          order = [last, ...labels.slice(0, -1)];
          for (const [i, label] of order.entries()) {
            await expect(box.getByRole("combobox", { name: label, exact: true })).toHaveValue(
              String(i + 1),
            );
          }
        } else {
          // Reverse order: the last item first.
          for (const [i, label] of labels.entries()) {
            await box
              .getByRole("combobox", { name: label, exact: true })
              .selectOption(String(labels.length - i));
          }
          order = [...labels].reverse();
        }
        this.record(q, true, { texts: [], order });
        break;
      }
      case "number": {
        const min = q.min === undefined ? 0 : Number(q.min);
        const max = q.max === undefined ? min + 100 : Number(q.max);
        const value = Math.min(max, Math.max(min, Math.round(min + (max - min) / 4) || min + 1));
        await box.getByRole("textbox").fill(String(value));
        this.record(q, value, { texts: [q.unit ? `${value} ${this.t(q.unit)}` : String(value)] });
        break;
      }
      case "text": {
        const text = /e_?mail/.test(q.key)
          ? "respondent@example.org"
          : TEXTS[this.locale].text.slice(0, q.maxLength ?? 200);
        await box.getByRole("textbox").fill(text);
        this.record(q, text, { texts: [text] });
        break;
      }
      case "long_text": {
        const lines = TEXTS[this.locale].long;
        await box.getByRole("textbox").fill(lines.join("\n"));
        this.record(q, lines.join("\n"), { texts: lines });
        break;
      }
      case "date": {
        const min = q.min ? String(q.min) : "2026-01-01";
        const max = q.max ? String(q.max) : "2031-12-31";
        const wanted = "2027-06-30";
        const value = wanted < min ? min : wanted > max ? max : wanted;
        const [year, month, day] = value.split("-");
        await box.getByRole("textbox", { name: ui.dateDay, exact: true }).fill(String(Number(day)));
        await box
          .getByRole("textbox", { name: ui.dateMonth, exact: true })
          .fill(String(Number(month)));
        await box.getByRole("textbox", { name: ui.dateYear, exact: true }).fill(year);
        this.record(q, value, { texts: [longDate(value, this.locale)] });
        break;
      }
      case "country": {
        const code =
          (chosen as string | undefined) ?? COUNTRIES[this.countryIndex++ % COUNTRIES.length];
        const select = box.getByRole("combobox", {
          name: new RegExp(`^${escapeRegExp(this.t(q.label))}`),
        });
        await select.selectOption(code);
        const name = (await select.locator("option:checked").textContent())!.trim();
        this.record(q, code, { texts: [name] });
        break;
      }
      case "need_list": {
        const wanted = Math.max(options.needEntries ?? 1, q.minEntries ?? 0, 1);
        const texts: string[] = [];
        for (let n = 1; n <= wanted; n++) {
          let entry = box.getByRole("group", { name: ui.needEntry(n), exact: true });
          if ((await entry.count()) === 0) {
            await box
              .getByRole("button", { name: n === 1 ? ui.needAdd : ui.needAddAnother, exact: true })
              .click();
            entry = box.getByRole("group", { name: ui.needEntry(n), exact: true });
            await expect(entry).toBeVisible();
          }
          const [title, description] = TEXTS[this.locale].need(n);
          const category = q.categories![(n - 1) % q.categories!.length];
          const horizon = n % 2 === 1 ? "short_term" : "medium_term";
          await entry.getByRole("textbox", { name: ui.needTitle, exact: true }).fill(title);
          await entry
            .getByRole("textbox", { name: ui.needDescription, exact: true })
            .fill(description);
          await entry
            .getByRole("combobox", { name: ui.needCategory, exact: true })
            .selectOption({ label: this.t(category.label) });
          await entry.getByRole("radio", { name: ui.horizons[horizon], exact: true }).check();
          await entry
            .getByRole("group", { name: ui.needUrgency, exact: true })
            .getByRole("radio", { name: "4", exact: true })
            .check();
          await entry
            .getByRole("group", { name: ui.needImportance, exact: true })
            .getByRole("radio", { name: "5", exact: true })
            .check();
          texts.push(title, description, this.t(category.label), ui.horizons[horizon]);
        }
        this.record(q, true, { texts });
        break;
      }
      case "borich": {
        const texts: string[] = [];
        for (const [i, s] of q.statements!.entries()) {
          const label = this.t(s.label);
          const importance = 5 - (i % 3);
          const current = 1 + (i % 3);
          const statement = box.getByRole("group", { name: label, exact: true });
          const importanceRadio = statement
            .getByRole("group", { name: new RegExp(`^${escapeRegExp(ui.borichImportance)}`) })
            .getByRole("radio", { name: String(importance), exact: true });
          // The point's label is drawn over the radio: the respondent clicks the label.
          await statement
            .locator(`label[for="${await importanceRadio.getAttribute("id")}"]`)
            .click();
          await expect(importanceRadio).toBeChecked();
          const currentRadio = statement
            .getByRole("group", { name: new RegExp(`^${escapeRegExp(ui.borichCurrent)}`) })
            .getByRole("radio", { name: String(current), exact: true });
          // The point's label is drawn over the radio: the respondent clicks the label.
          await statement.locator(`label[for="${await currentRadio.getAttribute("id")}"]`).click();
          await expect(currentRadio).toBeChecked();
          texts.push(label);
        }
        this.record(q, true, { texts });
        break;
      }
    }
  }
}

/** The first page of a survey that has a question of the given type (visible without answers). */
export function firstPageWith(survey: Survey, type: Question["type"]): SurveyPage | undefined {
  return survey.pages.find((p) => p.questions.some((q) => q.type === type && !q.showIf));
}

/**
 * Axe on every page of a respondent's walk through a questionnaire (landing, each questionnaire
 * page once its answers are given, so that the questions those answers open are checked too,
 * review, receipt). `check` runs axe on the page the browser shows; `afterFill` is the
 * FillOptions hook that checks each questionnaire page; `expectClean` fails on any violation
 * and when a visible page was not checked. Axe needs JavaScript: these are the enhanced pages.
 */
export class AxeWalk {
  private readonly violations: string[] = [];
  private readonly pages = new Set<string>();

  constructor(
    private readonly respondent: () => Respondent,
    private readonly label: string,
  ) {}

  async check(what: string): Promise<void> {
    const r = this.respondent();
    this.violations.push(...(await axeViolations(r.page, `${this.label} ${what}`)));
  }

  readonly afterFill = async (pageKey: string): Promise<void> => {
    this.pages.add(pageKey);
    await this.check(`page ${pageKey}`);
  };

  expectClean(): void {
    const r = this.respondent();
    expect(this.violations).toEqual([]);
    expect([...this.pages].sort(), "every visible page was checked").toEqual(
      visiblePages(r.survey, r.answers)
        .map((p) => p.key)
        .sort(),
    );
  }
}
