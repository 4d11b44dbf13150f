import type { Db } from "#db/client";
import { type ResponseFilters, filtersToSearchParams } from "../filters.server";
import type { DashboardSurvey, ParticipationCounts } from "./views";

/**
 * The result cache. The figures come from the aggregates (decision 045) and are fast without a
 * cache. A short-lived layer stays in front of them: identical requests arriving together share
 * one computation, and a page reloaded within seconds is served again. An entry is keyed by a
 * fingerprint of the survey's submitted responses read from the database on every request
 * (their number and the latest submission time), so a submission or an erasure on any instance
 * is counted at once. Participation (drafts, invitations) and theme counts are always read live.
 */

interface CacheEntry {
  at: number;
  value: Promise<unknown>;
}

const CACHE_LIMIT = 300;

const CACHE_TTL_MS = 5_000;

const caches = new WeakMap<Db, Map<string, CacheEntry>>();

/** Forgets the cached figures of a database. */
export function clearDashboardCache(db: Db): void {
  caches.delete(db);
}

export function cached<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_TTL_MS) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.set(key, { at: now, value });
  value.catch(() => cache.get(key)?.value === value && cache.delete(key));
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return value;
}

/** What the cached figures of the surveys depend on: their submitted responses. */
export function fingerprintOf(
  counts: Map<number, ParticipationCounts>,
  surveyIds: readonly number[],
): string {
  return surveyIds
    .map((id) => `${id}:${counts.get(id)?.submitted ?? 0}:${counts.get(id)?.lastSubmitted ?? ""}`)
    .join(",");
}

export function cacheKey(
  section: string,
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "versionIds">>,
  filters: ResponseFilters,
  minCell: number,
  fingerprint: string,
): string {
  return [
    section,
    surveys.map((s) => `${s.id}v${s.versionIds.join(".")}`).join(","),
    filtersToSearchParams(filters).toString(),
    minCell,
    fingerprint,
  ].join("|");
}
