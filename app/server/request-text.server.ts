/**
 * Text a respondent's browser could have sent, and nothing else: UTF-8 without invalid byte
 * sequences, no lone UTF-16 surrogates (which would be stored as U+FFFD, i.e. not as sent), no
 * NUL character (which Postgres cannot store in text or jsonb). Bodies that fail are refused
 * with 400 before anything is stored.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string can be stored exactly as it is. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text, or null when it is not valid UTF-8 or holds a NUL character. */
export function decodeBodyText(body: Uint8Array): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return null;
  }
  return text.includes("\u0000") ? null : text;
}

/**
 * Whether a form body is well formed: valid UTF-8, and for URL-encoded forms every name and
 * value percent-decodes to valid UTF-8 without NUL characters.
 */
export function isWellFormedFormBody(body: Uint8Array, contentType: string): boolean {
  const text = decodeBodyText(body);
  if (text === null) return false;
  if (!/^multipart\//i.test(contentType)) {
    for (const part of text.split("&")) {
      for (const piece of part.split("=")) {
        try {
          if (!isStorableText(decodeURIComponent(piece.replace(/\+/g, " ")))) return false;
        } catch {
          return false;
        }
      }
    }
  }
  return true;
}

/**
 * JSON.parse that refuses strings (values and keys) that cannot be stored as sent: throws a
 * SyntaxError naming the problem.
 */
export function parseStrictJson(text: string): unknown {
  // Without \u escapes every key and string holds only characters written literally in the
  // text, so checking the text once is enough (a reviver costs a call per value).
  if (!text.includes("\\u") && isStorableText(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => {
    if (!isStorableText(key) || (typeof value === "string" && !isStorableText(value))) {
      throw new SyntaxError(
        "The request contains a NUL character or an unpaired UTF-16 surrogate.",
      );
    }
    return value;
  });
}
