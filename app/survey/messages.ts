import { type Locale, DEFAULT_LOCALE } from "./locale";

/**
 * Validation messages shown to respondents, in their language. The UI catalogs live in
 * app/i18n; these few are here because the answer schemas are built in this module, for the
 * browser and the server alike.
 */
export interface ValidationMessages {
  required: string;
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
  scaleRange: (min: number, max: number) => string;
  date: string;
  dateFrom: (min: string) => string;
  dateUntil: (max: string) => string;
  country: string;
  answerRow: string;
  rankAll: (count: number) => string;
  rankOnce: string;
  rateBoth: string;
  needTitle: string;
  needCategory: string;
  needHorizon: string;
  rating: (min: number, max: number) => string;
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

const english: ValidationMessages = {
  required: "This question needs an answer.",
  invalid: "This answer is not valid.",
  chooseOption: "Choose one of the options.",
  chooseAtLeast: (n) => `Choose at least ${en(n, "option", "options")}.`,
  chooseAtMost: (n) => `Choose at most ${en(n, "option", "options")}.`,
  noOtherAnswer: "This question has no “other” answer.",
  tooLong: (n) => `Use at most ${en(n, "character", "characters")}.`,
  singleLine: "Use a single line.",
  number: "Enter a number.",
  integer: "Enter a whole number.",
  atLeast: (min) => `Enter a number of at least ${min}.`,
  atMost: (max) => `Enter a number of at most ${max}.`,
  scaleRange: (min, max) => `Choose a value from ${min} to ${max}.`,
  date: "Enter a date as YYYY-MM-DD.",
  dateFrom: (min) => `Enter a date on or after ${min}.`,
  dateUntil: (max) => `Enter a date on or before ${max}.`,
  country: "Choose a country from the list.",
  answerRow: "Answer this row.",
  rankAll: (n) => `Rank every item from 1 to ${n}.`,
  rankOnce: "Use each rank only once.",
  rateBoth: "Rate both the importance and the current level.",
  needTitle: "Give the need a short title.",
  needCategory: "Choose a category.",
  needHorizon: "Choose a time horizon.",
  rating: (min, max) => `Choose a rating from ${min} to ${max}.`,
  addAtLeast: (n) => `Describe at least ${en(n, "need", "needs")}.`,
  addAtMost: (n) => `Describe at most ${en(n, "need", "needs")}.`,
};

const russian: ValidationMessages = {
  required: "Ответьте на этот вопрос.",
  invalid: "Недопустимый ответ.",
  chooseOption: "Выберите один из вариантов.",
  chooseAtLeast: (n) => `Выберите не менее ${ru(n, ["варианта", "вариантов", "вариантов"])}.`,
  chooseAtMost: (n) => `Выберите не более ${ru(n, ["варианта", "вариантов", "вариантов"])}.`,
  noOtherAnswer: "В этом вопросе нет варианта «другое».",
  tooLong: (n) => `Используйте не более ${ru(n, ["символа", "символов", "символов"])}.`,
  singleLine: "Используйте одну строку.",
  number: "Введите число.",
  integer: "Введите целое число.",
  atLeast: (min) => `Введите число не меньше ${min}.`,
  atMost: (max) => `Введите число не больше ${max}.`,
  scaleRange: (min, max) => `Выберите значение от ${min} до ${max}.`,
  date: "Введите дату в формате ГГГГ-ММ-ДД.",
  dateFrom: (min) => `Введите дату не раньше ${min}.`,
  dateUntil: (max) => `Введите дату не позже ${max}.`,
  country: "Выберите страну из списка.",
  answerRow: "Ответьте на эту строку.",
  rankAll: (n) => `Присвойте каждому пункту ранг от 1 до ${n}.`,
  rankOnce: "Каждый ранг можно использовать только один раз.",
  rateBoth: "Оцените и важность, и текущий уровень.",
  needTitle: "Кратко назовите потребность.",
  needCategory: "Выберите категорию.",
  needHorizon: "Выберите срок.",
  rating: (min, max) => `Выберите оценку от ${min} до ${max}.`,
  addAtLeast: (n) => `Опишите не менее ${ru(n, ["потребности", "потребностей", "потребностей"])}.`,
  addAtMost: (n) => `Опишите не более ${ru(n, ["потребности", "потребностей", "потребностей"])}.`,
};

const catalogs: Record<string, ValidationMessages> = { en: english, ru: russian };

/** Messages in `locale`, English when the locale has none. */
export function validationMessages(locale: Locale): ValidationMessages {
  return catalogs[locale] ?? catalogs[DEFAULT_LOCALE];
}
