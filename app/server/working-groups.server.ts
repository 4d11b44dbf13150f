import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";

export interface WorkingGroupSeed {
  slug: string;
  name: LocalizedText;
  description: LocalizedText;
}

/** The programme's thematic working groups, in the order they are listed. */
export const WORKING_GROUPS: WorkingGroupSeed[] = [
  {
    slug: "food-agri-bio",
    name: {
      en: "Food, agriculture and biotechnology",
      ru: "Продовольствие, сельское хозяйство и биотехнологии",
    },
    description: {
      en: "Food safety, sustainable agriculture, plant and microbial genetic resources, industrial and agricultural biotechnology.",
      ru: "Безопасность продуктов питания, устойчивое сельское хозяйство, генетические ресурсы растений и микроорганизмов, промышленные и сельскохозяйственные биотехнологии.",
    },
  },
  {
    slug: "health",
    name: { en: "Health", ru: "Здравоохранение" },
    description: {
      en: "Clinical and biomedical research, infectious diseases and antimicrobial resistance, sharing of clinical data and samples.",
      ru: "Клинические и биомедицинские исследования, инфекционные заболевания и антимикробная резистентность, обмен клиническими данными и образцами.",
    },
  },
  {
    slug: "nano-materials",
    name: { en: "Nanotechnologies and new materials", ru: "Нанотехнологии и новые материалы" },
    description: {
      en: "Nanomaterials, characterisation, access to large research infrastructures, nano-safety and standardisation, scale-up.",
      ru: "Наноматериалы, методы исследования, доступ к крупным исследовательским установкам, нанобезопасность и стандартизация, масштабирование.",
    },
  },
  {
    slug: "energy",
    name: { en: "Energy", ru: "Энергетика" },
    description: {
      en: "Energy efficiency, renewables and grid integration, storage and hydrogen, nuclear safety and fusion, test beds.",
      ru: "Энергоэффективность, возобновляемые источники и интеграция в сети, накопители и водород, ядерная безопасность и термоядерный синтез, испытательные стенды.",
    },
  },
  {
    slug: "mobility",
    name: { en: "Researcher mobility", ru: "Мобильность исследователей" },
    description: {
      en: "Visas, recognition of qualifications, social security, fellowships and return schemes for researchers moving between the EU and Russia.",
      ru: "Визы, признание квалификаций, социальное обеспечение, стипендии и программы возвращения для исследователей, работающих в ЕС и России.",
    },
  },
];

/** Inserts the working groups that are missing and refreshes the names of the others. */
export async function upsertWorkingGroups(db: Db): Promise<void> {
  for (const [index, group] of WORKING_GROUPS.entries()) {
    await db
      .insertInto("working_groups")
      .values({
        slug: group.slug,
        name: JSON.stringify(group.name),
        description: JSON.stringify(group.description),
        sort_order: index,
      })
      .onConflict((oc) =>
        oc.column("slug").doUpdateSet({
          name: JSON.stringify(group.name),
          description: JSON.stringify(group.description),
          sort_order: index,
        }),
      )
      .execute();
  }
}

export interface GroupInfo {
  id: number;
  slug: string;
  name: LocalizedText;
}

/** A working group by its slug (undefined when there is none). */
export async function findGroup(db: Db, slug: string): Promise<GroupInfo | undefined> {
  return db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirst();
}
