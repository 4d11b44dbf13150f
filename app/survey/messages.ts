import { type Locale, DEFAULT_LOCALE, formatIsoDate, localize } from "./locale";
import type { LocalizedText } from "./primitives";

/**
 * Validation messages shown to respondents, in their language. The UI catalogs live in
 * app/i18n; these are here because the answer schemas are built in this module, for the
 * browser and the server alike.
 *
 * Each message says what to do, in the style of the best public-sector forms: "Select one
 * option", "Enter a number between 0 and 100", "Rate the urgency of need 2". A message about a
 * part of a question (a row, a statement, a need entry and its field) names that part, so that
 * the error summary, which puts the question's label in front, says exactly which field it is.
 */
export interface ValidationMessages {
  // A question left blank that needs an answer: what to do depends on its type and limits
  // (its type's `required`, built from these messages).
  selectOne: string;
  selectAtLeastOne: string;
  everyRow: string;
  enterNumber: string;
  enterAnswer: string;
  enterDate: string;
  selectCountry: string;
  addOne: string;
  rateEvery: string;
  invalid: string;
  chooseOption: string;
  chooseAtLeast: (count: number) => string;
  chooseAtMost: (count: number) => string;
  noOtherAnswer: string;
  tooLong: (maxLength: number) => string;
  singleLine: string;
  number: string;
  integer: string;
  atLeast: (min: number) => string;
  atMost: (max: number) => string;
  between: (min: number, max: number) => string;
  scaleRange: (min: number, max: number) => string;
  date: string;
  dateFrom: (min: string) => string;
  dateUntil: (max: string) => string;
  dateBetween: (min: string, max: string) => string;
  country: string;
  answerRow: (row: LocalizedText) => string;
  rankAll: (count: number) => string;
  rankOnce: string;
  rateImportance: (statement: LocalizedText) => string;
  rateCurrent: (statement: LocalizedText) => string;
  needTitle: (entry: number) => string;
  needCategory: (entry: number) => string;
  needHorizon: (entry: number) => string;
  needUrgency: (entry: number) => string;
  needImportance: (entry: number) => string;
  addAtLeast: (count: number) => string;
  addAtMost: (count: number) => string;
}

const ruPlural = new Intl.PluralRules("ru");

/** Russian noun form for a count: forms are [one, few, many] (1 вариант, 2 варианта, 5 вариантов). */
function ru(count: number, forms: [string, string, string]): string {
  const category = ruPlural.select(count);
  const form = category === "one" ? forms[0] : category === "few" ? forms[1] : forms[2];
  return `${count} ${form}`;
}

function en(count: number, one: string, other: string): string {
  return `${count} ${count === 1 ? one : other}`;
}

/** A number as written in `locale` (decimal comma in Russian), without digit grouping. */
function num(locale: string, value: number): string {
  return value.toLocaleString(locale, { useGrouping: false, maximumFractionDigits: 6 });
}

/** A sentence with its full stop, which a date ending in "г." already has. */
function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}

const english: ValidationMessages = {
  selectOne: "Select one option.",
  selectAtLeastOne: "Select at least one option.",
  everyRow: "Select a value in every row.",
  enterNumber: "Enter a number.",
  enterAnswer: "Enter your answer.",
  enterDate: "Enter a date.",
  selectCountry: "Select a country.",
  addOne: "Describe at least one need.",
  rateEvery: "Rate the importance and the current level of every statement.",
  invalid: "This answer cannot be accepted. Change it or leave it out.",
  chooseOption: "Select one of the options.",
  chooseAtLeast: (n) => `Select at least ${en(n, "option", "options")}.`,
  chooseAtMost: (n) => `Select no more than ${en(n, "option", "options")}.`,
  noOtherAnswer: "This question has no “other” answer.",
  tooLong: (n) => `Use at most ${en(n, "character", "characters")}.`,
  singleLine: "Write your answer on a single line.",
  number: "Enter a number, like 12 or 3.5.",
  integer: "Enter a whole number, like 12.",
  atLeast: (min) => `Enter a number of ${num("en", min)} or more.`,
  atMost: (max) => `Enter a number of ${num("en", max)} or less.`,
  between: (min, max) => `Enter a number between ${num("en", min)} and ${num("en", max)}.`,
  scaleRange: (min, max) => `Select a value from ${min} to ${max}.`,
  date: "Enter a real date, like 30 6 2027.",
  dateFrom: (min) => `Enter a date on or after ${formatIsoDate(min, "en")}.`,
  dateUntil: (max) => `Enter a date on or before ${formatIsoDate(max, "en")}.`,
  dateBetween: (min, max) =>
    `Enter a date between ${formatIsoDate(min, "en")} and ${formatIsoDate(max, "en")}.`,
  country: "Select a country from the list.",
  answerRow: (row) => `Select a value for “${localize(row, "en")}”.`,
  rankAll: (n) => `Put every item in order, from 1 to ${n}.`,
  rankOnce: "Give each item a different position.",
  rateImportance: (s) => `Rate the importance of “${localize(s, "en")}”.`,
  rateCurrent: (s) => `Rate your current level in “${localize(s, "en")}”.`,
  needTitle: (n) => `Enter a short title for need ${n}.`,
  needCategory: (n) => `Select a category for need ${n}.`,
  needHorizon: (n) => `Select a time horizon for need ${n}.`,
  needUrgency: (n) => `Rate the urgency of need ${n}.`,
  needImportance: (n) => `Rate the importance of need ${n}.`,
  addAtLeast: (n) => `Describe at least ${en(n, "need", "needs")}.`,
  addAtMost: (n) => `Describe no more than ${en(n, "need", "needs")}.`,
};

const russian: ValidationMessages = {
  selectOne: "Выберите один из вариантов.",
  selectAtLeastOne: "Выберите хотя бы один вариант.",
  everyRow: "Выберите значение в каждой строке.",
  enterNumber: "Введите число.",
  enterAnswer: "Введите ответ.",
  enterDate: "Введите дату.",
  selectCountry: "Выберите страну.",
  addOne: "Опишите хотя бы одну потребность.",
  rateEvery: "Оцените важность и текущий уровень по каждому утверждению.",
  invalid: "Такой ответ принять нельзя. Измените его или оставьте поле пустым.",
  chooseOption: "Выберите один из предложенных вариантов.",
  chooseAtLeast: (n) => `Выберите не менее ${ru(n, ["варианта", "вариантов", "вариантов"])}.`,
  chooseAtMost: (n) => `Выберите не более ${ru(n, ["варианта", "вариантов", "вариантов"])}.`,
  noOtherAnswer: "В этом вопросе нет варианта «другое».",
  tooLong: (n) => `Используйте не более ${ru(n, ["символа", "символов", "символов"])}.`,
  singleLine: "Напишите ответ в одну строку.",
  number: "Введите число, например 12 или 3,5.",
  integer: "Введите целое число, например 12.",
  atLeast: (min) => `Введите число не меньше ${num("ru", min)}.`,
  atMost: (max) => `Введите число не больше ${num("ru", max)}.`,
  between: (min, max) => `Введите число от ${num("ru", min)} до ${num("ru", max)}.`,
  scaleRange: (min, max) => `Выберите значение от ${min} до ${max}.`,
  date: "Введите существующую дату, например 30 6 2027.",
  dateFrom: (min) => sentence(`Введите дату не раньше ${formatIsoDate(min, "ru")}`),
  dateUntil: (max) => sentence(`Введите дату не позже ${formatIsoDate(max, "ru")}`),
  dateBetween: (min, max) =>
    sentence(
      `Введите дату в промежутке с ${formatIsoDate(min, "ru")} по ${formatIsoDate(max, "ru")}`,
    ),
  country: "Выберите страну из списка.",
  answerRow: (row) => `Выберите значение для строки «${localize(row, "ru")}».`,
  rankAll: (n) => `Расставьте все пункты по порядку, от 1 до ${n}.`,
  rankOnce: "У каждого пункта должно быть своё место.",
  rateImportance: (s) => `Оцените важность пункта «${localize(s, "ru")}».`,
  rateCurrent: (s) => `Оцените свой текущий уровень по пункту «${localize(s, "ru")}».`,
  needTitle: (n) => `Кратко назовите потребность ${n}.`,
  needCategory: (n) => `Выберите категорию для потребности ${n}.`,
  needHorizon: (n) => `Укажите срок для потребности ${n}.`,
  needUrgency: (n) => `Оцените срочность потребности ${n}.`,
  needImportance: (n) => `Оцените важность потребности ${n}.`,
  addAtLeast: (n) => `Опишите не менее ${ru(n, ["потребности", "потребностей", "потребностей"])}.`,
  addAtMost: (n) => `Опишите не более ${ru(n, ["потребности", "потребностей", "потребностей"])}.`,
};

const catalogs: Record<string, ValidationMessages> = { en: english, ru: russian };

/** Messages in `locale`, English when the locale has none. */
export function validationMessages(locale: Locale): ValidationMessages {
  return catalogs[locale] ?? catalogs[DEFAULT_LOCALE];
}
