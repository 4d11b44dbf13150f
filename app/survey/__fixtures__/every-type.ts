import type { SurveyDefinition } from "../schema";
import { parseSurveySource } from "../source";

/** A survey with one question of every type (and a few conditions), for tests. */
export const EVERY_TYPE_YAML = `
slug: every-type
workingGroup: energy
title: { en: Every type, ru: Все типы }
pages:
  - key: choices
    title: { en: Choices, ru: Выбор }
    questions:
      - key: org_type
        type: single_choice
        required: true
        label: { en: Organisation, ru: Организация }
        options:
          - { code: university, label: { en: University, ru: Университет } }
          - { code: company, label: { en: Company, ru: Компания } }
          - { code: other, label: { en: Other, ru: Другое } }
      - key: instruments
        type: multi_choice
        label: { en: Instruments, ru: Инструменты }
        options:
          - { code: joint_calls, label: { en: Joint calls, ru: Совместные конкурсы } }
          - { code: co_funding, label: { en: Co-funding, ru: Софинансирование } }
          - { code: mobility, label: { en: Mobility, ru: Мобильность } }
        other: true
        minSelections: 1
        maxSelections: 2
      - key: satisfaction
        type: scale
        label: { en: Satisfaction, ru: Удовлетворённость }
        min: 0
        max: 10
      - key: barriers
        type: matrix
        required: true
        label: { en: Barriers, ru: Барьеры }
        rows:
          - { code: visas, label: { en: Visas, ru: Визы } }
          - { code: customs, label: { en: Customs, ru: Таможня } }
      - key: priorities
        type: ranking
        label: { en: Priorities, ru: Приоритеты }
        items:
          - { code: funding, label: { en: Funding, ru: Финансирование } }
          - { code: access, label: { en: Access, ru: Доступ } }
          - { code: data, label: { en: Data, ru: Данные } }
  - key: details
    title: { en: Details, ru: Подробности }
    questions:
      - key: budget
        type: number
        label: { en: Budget, ru: Бюджет }
        min: 0
        max: 1000000
        integer: true
        showIf: { question: org_type, equals: company }
      - key: project_name
        type: text
        label: { en: Project, ru: Проект }
        maxLength: 20
      - key: comments
        type: long_text
        label: { en: Comments, ru: Комментарии }
        maxLength: 50
      - key: project_end
        type: date
        label: { en: End, ru: Окончание }
        min: "2026-01-01"
        max: "2030-12-31"
      - key: partner_country
        type: country
        label: { en: Partner country, ru: Страна партнёра }
  - key: needs
    title: { en: Needs, ru: Потребности }
    questions:
      - key: needs
        type: need_list
        label: { en: Needs, ru: Потребности }
        categories:
          - { code: funding, label: { en: Funding, ru: Финансирование } }
          - { code: infrastructure, label: { en: Infrastructure, ru: Инфраструктура } }
        maxEntries: 3
      - key: competences
        type: borich
        label: { en: Competences, ru: Компетенции }
        statements:
          - { code: proposal_writing, label: { en: Proposal writing, ru: Подготовка заявок } }
          - { code: ipr, label: { en: IPR, ru: ИС } }
`;

function load(): SurveyDefinition {
  const { definition, problems } = parseSurveySource(
    EVERY_TYPE_YAML,
    "every-type.yaml",
    () => null,
  );
  if (!definition)
    throw new Error(problems.map((p) => `${p.line}: ${p.path}: ${p.message}`).join("\n"));
  return definition;
}

export const everyType: SurveyDefinition = load();
