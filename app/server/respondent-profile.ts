import { countryGroup } from "~/survey/countries";
import type { CountryGroup } from "#db/schema";

/**
 * The respondent-profile answers copied onto the response row when it is submitted, so that
 * dashboards and exports can filter without joining answers. Keys are those of the shared
 * respondent-profile block (surveys/blocks/respondent-profile.yaml).
 */
export function profileColumns(answers: Record<string, unknown>): {
  country: string | null;
  country_group: CountryGroup | null;
  org_type: string | null;
  sector: string | null;
} {
  const country = typeof answers.country === "string" ? answers.country : null;
  return {
    country,
    country_group: country ? countryGroup(country) : null,
    org_type: typeof answers.org_type === "string" ? answers.org_type : null,
    sector: typeof answers.sector === "string" ? answers.sector : null,
  };
}
