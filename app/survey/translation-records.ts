import { isMap, isScalar, parseDocument, type YAMLMap } from "yaml";
import { markTextReviewed, RECORD_KEY } from "./translations";

/**
 * Marks the translations of a questionnaire or block file as reviewed, editing the YAML text
 * in place: comments, order and formatting of everything else stay as they are. Used by
 * `npm run surveys:translations -- --reviewed`.
 */
export function markReviewedInYaml(text: string): { text: string; marked: number } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split("\n")[0]);
  let marked = 0;
  const visit = (node: unknown) => {
    if (isMap(node)) {
      const map = node as YAMLMap;
      const plain: Record<string, string> = {};
      let isText = map.items.length > 0;
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        const value = isScalar(pair.value) ? pair.value.value : null;
        if (
          key === null ||
          typeof value !== "string" ||
          !(/^[a-z]{2}$/.test(key) || RECORD_KEY.test(key))
        )
          isText = false;
        else plain[key] = value;
      }
      if (isText && plain.en !== undefined) {
        const next = markTextReviewed(plain);
        for (const [key, value] of Object.entries(next)) {
          if (!RECORD_KEY.test(key) || plain[key] === value) continue;
          map.set(key, value);
          marked++;
        }
        return;
      }
      for (const pair of map.items) visit(pair.value);
    } else if (node && typeof node === "object" && "items" in node) {
      for (const item of (node as { items: unknown[] }).items) visit(item);
    }
  };
  visit(doc.contents);
  return { text: marked > 0 ? doc.toString({ lineWidth: 0 }) : text, marked };
}
