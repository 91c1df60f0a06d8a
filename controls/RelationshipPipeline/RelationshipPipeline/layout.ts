import type { Deal } from "./model";

/**
 * The chart's geometry, pure: which deals go on the chart and which beside it, the scales, bubble radii,
 * ticks, the drawing order and the keyboard order. Everything in SVG user units (= CSS px).
 */

export const DAY_MS = 86_400_000;

/** Today as the UTC midnight of the user's calendar day (`now` and the offset passed in). */
export function today(now: number, offsetMinutes: number): number {
  const d = new Date(now + offsetMinutes * 60_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * The day the chart splits past from coming close dates: the day the scores were computed (the newest
 * insight's), when that is before today, else today. Scores and close dates then read as of one date: a
 * demo computed as of its sample's last day, or insights not refreshed for a while, still chart the deals
 * that were coming at that date, and the chart says which date that is.
 */
export function referenceDay(now: number, offsetMinutes: number, asOf: number | null): number {
  return today(asOf !== null && asOf < now ? asOf : now, offsetMinutes);
}

export interface Split {
  onChart: Deal[];
  /** Close date before today: Dynamics 365 hides these; Rapport lists them. */
  past: Deal[];
  /** No close date. */
  missing: Deal[];
}

/** Deals closing today or later go on the chart; the rest are listed beside it. */
export function splitDeals(deals: readonly Deal[], todayMs: number): Split {
  const split: Split = { onChart: [], past: [], missing: [] };
  for (const d of deals) {
    if (d.close === null) split.missing.push(d);
    else if (d.close < todayMs) split.past.push(d);
    else split.onChart.push(d);
  }
  return split;
}

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  /** The bottom of the score area (score 0). */
  bottom: number;
  /** The "no score" lane under the score area (none: all three equal `bottom`): top, bottom, centre line. */
  laneTop: number;
  laneBottom: number;
  laneY: number;
  /** The largest bubble's radius. */
  maxR: number;
}

/**
 * The plot area inside a chart of `width` × `height`: margins for the axes and, when some deal on the chart
 * has no score, a lane under the score area as tall as the largest bubble.
 */
export function plotBox(width: number, height: number, withLane = true): Box {
  const narrow = width < 480;
  const left = narrow ? 36 : 48;
  const right = width - (narrow ? 12 : 24);
  const top = 16;
  const axis = 28;
  // A bit under a tenth of the plot's shorter side, 10-32 px.
  const maxR = Math.max(10, Math.min(32, Math.round(Math.min(right - left, height - top - axis) / 9)));
  const laneHeight = withLane ? 2 * maxR + 8 : 0;
  const bottom = height - axis - laneHeight;
  const laneTop = withLane ? bottom + 4 : bottom;
  const laneBottom = bottom + laneHeight;
  const laneY = (laneTop + laneBottom) / 2;
  return { width, height, left, right, top, bottom, laneTop, laneBottom, laneY, maxR };
}

/** Close date → x. The domain is padded so the first and last bubbles sit inside the plot. */
export function xScale(closes: readonly number[], box: Box, pad: number): (t: number) => number {
  const min = closes.length ? Math.min(...closes) : 0;
  const max = closes.length ? Math.max(...closes) : 0;
  // One day (or all deals on one day): a month either side, so the bubbles sit in the middle.
  const lo = max - min < DAY_MS ? min - 30 * DAY_MS : min;
  const hi = max - min < DAY_MS ? max + 30 * DAY_MS : max;
  const x0 = box.left + pad;
  const x1 = Math.max(x0 + 1, box.right - pad);
  return (t) => x0 + ((t - lo) / (hi - lo)) * (x1 - x0);
}

/** Health score (0-100) → y; a deal without a score sits in the lane under the axis. */
export function yScale(box: Box, pad: number): (score: number | null) => number {
  const y0 = box.bottom - pad;
  const y1 = box.top + pad;
  return (score) => (score === null ? box.laneY : y0 - (Math.max(0, Math.min(100, score)) / 100) * (y0 - y1));
}

/**
 * Bubble radius: the area is proportional to the revenue (radius ∝ √revenue), the largest deal gets
 * `maxR`; a deal without revenue (or with none to compare to) gets `minR`, as does any smaller radius.
 */
export function radiusOf(revenue: number | null, maxRevenue: number, minR: number, maxR: number): number {
  if (revenue === null || revenue <= 0 || maxRevenue <= 0) return minR;
  return Math.max(minR, maxR * Math.sqrt(revenue / maxRevenue));
}

/** The largest bubble's radius for a plot (plotBox sizes the lane by it). */
export const maxRadius = (box: Box): number => box.maxR;

export const MIN_RADIUS = 5;

export interface Bubble {
  deal: Deal;
  cx: number;
  cy: number;
  r: number;
}

/** The deals on the chart as bubbles, drawn largest first so a small one is never hidden under a big one. */
export function bubbles(onChart: readonly Deal[], box: Box): Bubble[] {
  const maxR = maxRadius(box);
  const maxRevenue = Math.max(0, ...onChart.map((d) => d.revenue ?? 0));
  const x = xScale(
    onChart.map((d) => d.close ?? 0),
    box,
    maxR,
  );
  const y = yScale(box, maxR);
  return drawOrder(
    onChart.map((deal) => ({
      deal,
      cx: x(deal.close ?? 0),
      cy: y(deal.score),
      r: radiusOf(deal.revenue, maxRevenue, MIN_RADIUS, maxR),
    })),
  );
}

/** Largest first; equal sizes in keyboard order, so the order is stable. */
export function drawOrder(list: readonly Bubble[]): Bubble[] {
  const key = new Map(keyboardOrder(list.map((b) => b.deal)).map((d, i) => [d.id, i]));
  return [...list].sort((a, b) => b.r - a.r || (key.get(a.deal.id) ?? 0) - (key.get(b.deal.id) ?? 0));
}

/**
 * The order the arrow keys (and the table) go through the deals: by close date, the earliest first
 * (none last), then the healthiest first (no score last), then by name.
 */
export function keyboardOrder(deals: readonly Deal[]): Deal[] {
  const close = (d: Deal) => d.close ?? Number.POSITIVE_INFINITY;
  const score = (d: Deal) => d.score ?? Number.NEGATIVE_INFINITY;
  return [...deals].sort(
    (a, b) =>
      close(a) - close(b) || score(b) - score(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

/** The index the key moves focus to among `count` bubbles, or null for a key that does not move it. */
export function nextIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
      return Math.min(count - 1, current + 1);
    case "ArrowLeft":
    case "ArrowUp":
      return Math.max(0, current - 1);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/** Month ticks (UTC month starts) inside [from, to], thinned to at most `maxTicks`. */
export function monthTicks(from: number, to: number, maxTicks: number): number[] {
  const start = new Date(from);
  const year = start.getUTCFullYear();
  // The first month start on or after `from`; Date.UTC carries month 12 and beyond into the next years.
  const first = start.getUTCMonth() + (start.getUTCDate() > 1 || start.getUTCHours() > 0 ? 1 : 0);
  const all: number[] = [];
  for (let k = 0, t = Date.UTC(year, first, 1); t <= to; t = Date.UTC(year, first + ++k, 1)) all.push(t);
  const steps = [1, 2, 3, 6, 12, 24, 60];
  const step = steps.find((s) => Math.ceil(all.length / s) <= Math.max(1, maxTicks)) ?? 120;
  return all.filter((_, i) => i % step === 0);
}

/** The date range the x axis covers (the inverse of xScale at the plot's edges). */
export function xDomain(closes: readonly number[]): { from: number; to: number } {
  const min = closes.length ? Math.min(...closes) : 0;
  const max = closes.length ? Math.max(...closes) : 0;
  return max - min < DAY_MS ? { from: min - 30 * DAY_MS, to: max + 30 * DAY_MS } : { from: min, to: max };
}

/** Score grid lines: every 20, the grade thresholds 40 and 60 among them. */
export const SCORE_TICKS = [0, 20, 40, 60, 80, 100] as const;

/** Two reference bubbles for the size legend: the largest deal and one a quarter of it (half the radius). */
export function sizeLegend(maxRevenue: number): number[] {
  if (maxRevenue <= 0) return [];
  return [maxRevenue / 4, maxRevenue];
}
