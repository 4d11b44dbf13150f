/**
 * Pure helpers of the charts: round axis ticks, wrapped category labels, and the markers of
 * means whose confidence intervals overlap heavily. No React, no DOM.
 */

/** Rounds away binary noise (0.1 + 0.2) from a tick value. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * Round ticks from 0 covering `max`: steps of 1, 2 or 5 times a power of ten, at most about
 * `count` intervals (0, 20, 40 … 100; 0, 0.2 … 1; never 37.5). `integer` keeps steps whole
 * (counts). The last tick is at or above `max`.
 */
export function niceTicks(max: number, count = 5, integer = false): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = power * 10;
  for (const factor of [1, 2, 5, 10]) {
    if (power * factor >= rough) {
      step = power * factor;
      break;
    }
  }
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const tick = clean(i * step);
    ticks.push(tick);
    if (tick >= max - step * 1e-9) break;
  }
  return ticks;
}

/**
 * Round ticks covering `min` to `max` (either side of 0, e.g. Borich scores that can be
 * negative): the step of `niceTicks` over the wider side, from a multiple of it at or below
 * `min` (never above 0) to one at or above `max`.
 */
export function niceRange(min: number, max: number, count = 5, integer = false): number[] {
  if (!(min < 0)) return niceTicks(max, count, integer);
  const span = Math.max(max, 0) - min;
  const probe = niceTicks(span, count, integer);
  const step = probe[1] - probe[0];
  const ticks: number[] = [];
  const first = Math.floor(min / step + 1e-9);
  const last = Math.max(0, Math.ceil(max / step - 1e-9));
  for (let i = first; i <= last; i++) ticks.push(clean(i * step));
  return ticks;
}

/**
 * A category label in lines of at most `width` characters, broken at spaces (a longer word is
 * cut into pieces), at most `maxLines` lines; only what does not fit in those ends in "…".
 */
export function wrapLabel(text: string, width = 34, maxLines = 4): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (let word of words) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      lines.push(word.slice(0, width - 1) + "-");
      word = word.slice(width - 1);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1];
  kept[maxLines - 1] = `${last.length >= width ? last.slice(0, width - 1).trimEnd() : last}…`;
  return kept;
}

/** A mean with its 95 % confidence interval (bounds null when there is none). */
export interface Estimate {
  mean: number;
  lower: number | null;
  upper: number | null;
}

/**
 * Whether two estimates overlap heavily: each mean lies inside the other's interval, so that
 * their order is not to be trusted. Without both intervals there is no tie.
 */
export function heavilyOverlapping(a: Estimate, b: Estimate): boolean {
  if (a.lower === null || a.upper === null || b.lower === null || b.upper === null) return false;
  return a.mean >= b.lower && a.mean <= b.upper && b.mean >= a.lower && b.mean <= a.upper;
}

/**
 * For estimates in ranked order (adjacent ones compared), whether each is tied with the one
 * ranked just before or just after it. Null entries (no estimate) are never tied and break
 * the chain.
 */
export function tiedWithNeighbour(ranked: ReadonlyArray<Estimate | null>): boolean[] {
  const tied = ranked.map(() => false);
  for (let i = 0; i + 1 < ranked.length; i++) {
    const a = ranked[i];
    const b = ranked[i + 1];
    if (a && b && heavilyOverlapping(a, b)) {
      tied[i] = true;
      tied[i + 1] = true;
    }
  }
  return tied;
}
