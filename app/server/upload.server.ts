import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { decodeBodyText } from "./request-text.server";

/** Uploaded files (questionnaires, invitee lists) are at most this large. */
export const MAX_UPLOAD_BYTES = 1_000_000;

export type ReadForm = { form: FormData; tooLarge: false } | { form: null; tooLarge: true };

/**
 * The fields of a form posted as multipart (with a file) or URL-encoded. Files are kept in
 * memory, up to MAX_UPLOAD_BYTES each; a larger one gives `tooLarge`.
 */
export async function readForm(request: Request): Promise<ReadForm> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data"))
    return { form: await request.formData(), tooLarge: false };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }),
    );
    return { form, tooLarge: false };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { form: null, tooLarge: true };
    throw e;
  }
}

export type Upload =
  | { name: string; text: string; notUtf8?: undefined }
  /** The file is not UTF-8 text (another encoding such as Windows-1252 or UTF-16, or binary). */
  | { name: string; text: null; notUtf8: true };

/**
 * The text of an uploaded file field, or null when no file was chosen. Files are read as UTF-8
 * (a byte-order mark is dropped); a file that is not valid UTF-8 (or holds a NUL character, as
 * UTF-16 text does) gives `notUtf8` instead of text with replacement characters, so that the
 * page can say how to save it as UTF-8.
 */
export async function uploadedText(form: FormData, name: string): Promise<Upload | null> {
  const value = form.get(name);
  if (!value || typeof value === "string") return null;
  const file = value as File;
  if (!file.name && file.size === 0) return null;
  const text = decodeBodyText(new Uint8Array(await file.arrayBuffer()));
  return text === null ? { name: file.name, text: null, notUtf8: true } : { name: file.name, text };
}

/** A text field's value ("" when absent). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
