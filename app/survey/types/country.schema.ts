import * as z from "zod";
import { isCountryCode } from "../countries";
import { questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";

export const countrySchema = questionBase.extend({
  type: z.literal("country"),
});

export const countrySchemas = defineQuestionSchemas({
  required: (_q, m) => m.selectCountry,
  schema: countrySchema,
  answerSchema: (_q, m): z.ZodType<string> =>
    z.string({ error: m.country }).refine(isCountryCode, m.country),
});
