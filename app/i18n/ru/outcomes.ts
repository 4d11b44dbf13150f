import type { outcomes as english } from "../en/outcomes";
import type { Messages } from "../types";

export const outcomes: Messages<typeof english> = {
  title: "{group}: что стало с вашими ответами",
  intro: "Рабочая группа изучила ответы на свой опрос и подтвердила эти потребности. Для каждой указано, на каком этапе она сейчас.",
  none: "Рабочая группа пока не подтвердила ни одной потребности. Загляните позже.",
  caption: "Подтверждённые потребности и их статус",
  need: "Потребность",
  horizon: "Горизонт",
  status: "Статус",
  since: "с {date}",
  statuses: { validated: "Подтверждена", in_progress: "В работе", addressed: "Решена" },
  horizons: { short_term: "Краткосрочная (до 2 лет)", medium_term: "Среднесрочная (2–5 лет)" },
  privacy: "На этой странице нет имён, ответов и данных о респондентах.",
  receiptLink: "Что стало с вашими ответами",
};
