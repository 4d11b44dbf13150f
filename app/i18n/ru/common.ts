import type { Messages } from "../types";
import type { common as en } from "../en/common";

export const common: Messages<typeof en> = {
  appName: "Needsmap",
  tagline: "Потребности в сотрудничестве рабочих групп ЕС–Россия по науке и технологиям",
  skipToContent: "Перейти к основному содержанию",
  language: "Язык",
  languageNames: { en: "English", ru: "Русский" },
  switchTo: "Сменить язык на {language}",
  mainNav: "Основная навигация",
  home: "Главная",
  signIn: "Войти",
  signOut: "Выйти",
  dashboards: "Аналитика",
  footer: "Needsmap — оценка потребностей тематических рабочих групп программы.",
  minutes: { one: "{count} минута", few: "{count} минуты", many: "{count} минут", other: "{count} минуты" },
  errors: {
    notFoundTitle: "Страница не найдена",
    notFoundText: "По этому адресу нет страницы. Проверьте ссылку или вернитесь на главную страницу.",
    forbiddenTitle: "Доступ запрещён",
    forbiddenText: "У вас нет прав для просмотра этой страницы.",
    unavailableTitle: "Временно недоступно",
    unavailableText: "Сервис сейчас не может связаться с базой данных. Сохранённые данные не потеряны; повторите попытку через минуту.",
    genericTitle: "Что-то пошло не так",
    genericText: "Произошла непредвиденная ошибка. Повторите попытку; если ошибка повторится, сообщите в офис программы.",
    badRequestTitle: "Запрос не может быть обработан",
    backHome: "На главную страницу",
  },
  refused: {
    title: "Запрос отклонён",
    tooLarge: "Размер запроса больше {size} МБ. Если вы загружали файл, вернитесь и выберите файл меньшего размера.",
    lengthRequired: "Отправьте тело запроса с заголовком Content-Length.",
    badAddress: "Адрес страницы искажён: в нём есть знак %, за которым нет допустимого кода. Проверьте ссылку.",
    methodNotAllowed: "Этот метод запроса здесь не поддерживается. Используйте GET или POST.",
  },
};
