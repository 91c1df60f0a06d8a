/**
 * Introduction paths ranked for the seller who asks (issue 19): who can introduce this seller to this
 * person, through which colleagues, and how strong the whole path is. One pure module, used by the Who
 * Knows Whom control (for the signed-in seller) and by the server's evaluation on real mail, so both rank
 * with the same formula. No Node modules, no I/O: `now` is passed in.
 *
 * The path's strength combines its steps' strengths (0-100 each) by {@link PATH_COMBINATION}; a seller's
 * own past introductions move a path by at most {@link FEEDBACK_BOUND} points ({@link feedbackFor}).
 */
import type { Band, IntroductionStatus } from "./choices";

/** Band limits on the 0-100 strength scale (the one definition: the server's strength.ts reads it here). */
export const STRENGTH_BANDS = { strong: 60, moderate: 30 } as const;

/** The band of a 0-100 strength. */
export function bandOf(strength: number): Band {
  return strength >= STRENGTH_BANDS.strong
    ? "strong"
    : strength >= STRENGTH_BANDS.moderate
      ? "moderate"
      : "weak";
}

/** What a tie rests on, as rp_connection holds it (all optional: a caller passes what it has). */
export interface TieEvidence {
  emailsSent?: number;
  emailsReceived?: number;
  meetings?: number;
  calls?: number;
  daysInTouch?: number;
  /** ISO dates of the first and last contact. */
  first?: string;
  last?: string;
}

/** A connection between two people (addresses or user ids, compared lower-cased), strength 0-100. */
export interface Tie {
  a: string;
  b: string;
  strength: number;
  band?: Band;
  evidence?: TieEvidence;
}

/** One step of a path: `from` knows `to` this well. */
export interface PathStep {
  from: string;
  to: string;
  strength: number;
  band: Band;
  /** True when the seller has no tie to this colleague: the step's strength is {@link SELLER_TIE_FLOOR}. */
  assumed?: boolean;
  evidence?: TieEvidence;
}

/** Why a path was moved by the seller's past introductions. */
export interface PathAdjustment {
  /** Points added to (or taken from) the path's strength, after the bounds. */
  delta: number;
  /** The past introduction that weighs most: declined, made, or led to a meeting. */
  reason: "declined" | "made" | "meeting";
  /** When it happened (ISO), and how many whole days before `now`. */
  at: string;
  daysAgo: number;
  /** Whether it was about a person at the same organisation (same mail domain) as this target. */
  similar: boolean;
  /** For people: e.g. "Declined a similar request 12 days ago". */
  text: string;
}

/** A way to reach the target: seller → introducer → target, or seller → introducer → connector → target. */
export interface RankedPath {
  /** The colleague the seller asks (the first step's `to`). */
  introducer: string;
  /** Two-step paths: the colleague who knows the target, reached through the introducer. */
  connector?: string;
  /** The target address the last step reaches (one of the targets). */
  target: string;
  steps: PathStep[];
  /** The steps combined ({@link combine}), before feedback. */
  baseStrength: number;
  /** After feedback, 0-100, rounded to one decimal. */
  strength: number;
  band: Band;
  adjustment?: PathAdjustment;
}

/** A seller's past introduction, as the rp_introduction rows they own hold it (dates ISO). */
export interface PastIntroduction {
  introducer: string;
  connector?: string;
  target: string;
  status: IntroductionStatus;
  requestedOn: string;
  respondedOn?: string;
  madeOn?: string;
  meetingOn?: string;
  closedOn?: string;
}

/** How steps combine: the weakest link, the product of the steps (as fractions of 100), or their geometric mean. */
export type Combination = "min" | "product" | "geometric";

/** The combination used (chosen by the evaluation on the Enron mail; docs/insights.md, docs/quality.md). */
export const PATH_COMBINATION: Combination = "geometric";

/**
 * The strength given to a seller's tie to a colleague the seller has never been in touch with: such a
 * colleague is still someone the seller can ask (same organisation), but the path ranks below one through
 * a colleague the seller knows, other things equal. 10 is the middle of "weak".
 */
export const SELLER_TIE_FLOOR = 10;

/** Feedback: the most a seller's past introductions move a path, in points, either way. */
export const FEEDBACK_BOUND = 15;
/** Feedback: points for one past introduction, before its age and similarity. */
export const FEEDBACK_POINTS = { meeting: 10, made: 5, declined: -10 } as const;
/** Feedback: an introduction's weight halves every this many days. */
export const FEEDBACK_HALF_LIFE_DAYS = 90;
/** Feedback: an introduction to someone at another organisation counts this much (same organisation: 1). */
export const FEEDBACK_OTHER_TARGET_WEIGHT = 0.5;

const DAY_MS = 86_400_000;

/** Combines step strengths (0-100) into a path strength (0-100). */
export function combine(strengths: readonly number[], how: Combination = PATH_COMBINATION): number {
  if (strengths.length === 0) return 0;
  const f = strengths.map((s) => Math.min(100, Math.max(0, s)) / 100);
  if (how === "min") return 100 * Math.min(...f);
  const product = f.reduce((p, x) => p * x, 1);
  return 100 * (how === "product" ? product : Math.pow(product, 1 / f.length));
}

/** Input of {@link rankPaths}. */
export interface RankInput {
  /** The seller who asks. */
  seller: string;
  /** The person (or the people of a record) to be introduced to. */
  target: string | readonly string[];
  /** The seller's ties to colleagues (either side may be the seller). */
  sellerTies: readonly Tie[];
  /** Colleagues' ties to the target(s): `a` the colleague, `b` the target (today's rp_connection rows). */
  targetTies: readonly Tie[];
  /** Ties between colleagues, for two-step paths (either direction). */
  colleagueTies?: readonly Tie[];
  /** The seller's own past introductions, for feedback. */
  history?: readonly PastIntroduction[];
  /** Epoch ms. */
  now: number;
  /** Whether a colleague may be suggested (not opted out, a directory user); all when absent. */
  eligible?: (colleague: string) => boolean;
  /** Overrides {@link PATH_COMBINATION} (the evaluation compares them). */
  combination?: Combination;
}

const key = (s: string): string => s.trim().toLowerCase();

/** The strongest tie of each colleague to the seller, by colleague. */
function tiesFrom(person: string, ties: readonly Tie[]): Map<string, Tie> {
  const out = new Map<string, Tie>();
  for (const t of ties) {
    const a = key(t.a);
    const b = key(t.b);
    const other = a === person ? b : b === person ? a : undefined;
    if (other === undefined || other === person) continue;
    const seen = out.get(other);
    if (!seen || t.strength > seen.strength) out.set(other, t);
  }
  return out;
}

function step(from: string, to: string, tie: Tie | undefined): PathStep {
  if (!tie) return { from, to, strength: SELLER_TIE_FLOOR, band: bandOf(SELLER_TIE_FLOOR), assumed: true };
  const s: PathStep = { from, to, strength: tie.strength, band: tie.band ?? bandOf(tie.strength) };
  if (tie.evidence) s.evidence = tie.evidence;
  return s;
}

/** Each eligible colleague's strongest tie to any of the targets. */
function bestTargetTies(input: RankInput, seller: string, targets: Set<string>): Map<string, Tie> {
  const out = new Map<string, Tie>();
  for (const t of input.targetTies) {
    const c = key(t.a);
    if (!targets.has(key(t.b)) || c === seller || targets.has(c)) continue;
    if (input.eligible && !input.eligible(c)) continue;
    const seen = out.get(c);
    if (!seen || t.strength > seen.strength) out.set(c, t);
  }
  return out;
}

/**
 * Every path from the seller to the target(s), strongest first (ties broken by introducer, then connector).
 * Direct paths: one per eligible colleague who knows a target (a colleague the seller has no tie to counts
 * at {@link SELLER_TIE_FLOOR}). Two-step paths (seller → c1 → c2 → target), the best one per c2, only when no
 * colleague who knows a target is also known to the seller. The seller and the targets are never introducers.
 * @example rankPaths({ seller: "me@x", target: "p@y", sellerTies, targetTies, now: Date.now() })
 */
export function rankPaths(input: RankInput): RankedPath[] {
  const seller = key(input.seller);
  const targets = new Set((typeof input.target === "string" ? [input.target] : input.target).map(key));
  const how = input.combination ?? PATH_COMBINATION;
  const mine = tiesFrom(seller, input.sellerTies);
  const knowers = bestTargetTies(input, seller, targets);
  const paths: RankedPath[] = [];
  let known = false;
  for (const [c, t] of knowers) {
    const first = step(seller, c, mine.get(c));
    if (!first.assumed) known = true;
    paths.push(pathOf([first, step(c, key(t.b), t)], how));
  }
  if (!known && input.colleagueTies) paths.push(...twoStepPaths(input, seller, mine, knowers, how));
  const history = input.history ?? [];
  const ranked = paths.map((p) => withFeedback(p, history, input.now));
  return ranked.sort(
    (x, y) =>
      y.strength - x.strength ||
      y.baseStrength - x.baseStrength ||
      cmp(x.introducer, y.introducer) ||
      cmp(x.connector ?? "", y.connector ?? ""),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function pathOf(steps: PathStep[], how: Combination): RankedPath {
  const base = combine(
    steps.map((s) => s.strength),
    how,
  );
  const last = steps[steps.length - 1] as PathStep;
  const path: RankedPath = {
    introducer: (steps[0] as PathStep).to,
    target: last.to,
    steps,
    baseStrength: base,
    strength: round1(base),
    band: bandOf(base),
  };
  if (steps.length > 2) path.connector = last.from;
  return path;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The best seller → c1 → c2 → target path for each colleague c2 who knows a target. */
function twoStepPaths(
  input: RankInput,
  seller: string,
  mine: Map<string, Tie>,
  knowers: Map<string, Tie>,
  how: Combination,
): RankedPath[] {
  const out: RankedPath[] = [];
  const ok = (c: string): boolean => c !== seller && (!input.eligible || input.eligible(c));
  const middle = new Map<string, Tie>();
  for (const m of input.colleagueTies ?? []) {
    for (const k of [`${key(m.a)}\n${key(m.b)}`, `${key(m.b)}\n${key(m.a)}`]) {
      const seen = middle.get(k);
      if (!seen || m.strength > seen.strength) middle.set(k, m);
    }
  }
  for (const [c2, t] of knowers) {
    let best: RankedPath | undefined;
    for (const [c1, s] of mine) {
      const m = c1 === c2 || !ok(c1) ? undefined : middle.get(`${c1}\n${c2}`);
      if (!m) continue;
      const p = pathOf([step(seller, c1, s), step(c1, c2, m), step(c2, key(t.b), t)], how);
      if (!best || p.baseStrength > best.baseStrength) best = p;
    }
    if (best) out.push(best);
  }
  return out;
}

/** The mail domain of an address ("" when it has none). */
function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : key(address.slice(at + 1));
}

/** What a past introduction says about its introducer: its kind, date and points, or undefined. */
function outcomeOf(p: PastIntroduction): { reason: PathAdjustment["reason"]; at: string } | undefined {
  switch (p.status) {
    case "meetingHeld":
    case "won":
    case "lost":
      return { reason: "meeting", at: p.meetingOn ?? p.madeOn ?? p.respondedOn ?? p.requestedOn };
    case "made":
      return { reason: "made", at: p.madeOn ?? p.respondedOn ?? p.requestedOn };
    case "declined":
      return { reason: "declined", at: p.respondedOn ?? p.requestedOn };
    default:
      return undefined;
  }
}

/**
 * How the seller's past introductions through this path's introducer move it. Each one counts
 * {@link FEEDBACK_POINTS} (a meeting held, won or lost +10: the introduction did its work; made +5;
 * declined −10), halved every {@link FEEDBACK_HALF_LIFE_DAYS} days, and at {@link FEEDBACK_OTHER_TARGET_WEIGHT}
 * when the target was at another organisation; the sum is held to ±{@link FEEDBACK_BOUND}. Future-dated
 * or undated ones do not count. The reason shown is the one that weighs most.
 */
export function feedbackFor(
  path: Pick<RankedPath, "introducer" | "target">,
  history: readonly PastIntroduction[],
  now: number,
): PathAdjustment | undefined {
  const introducer = key(path.introducer);
  const domain = domainOf(path.target);
  let sum = 0;
  let top: { points: number; reason: PathAdjustment["reason"]; at: string; similar: boolean } | undefined;
  for (const p of history) {
    if (key(p.introducer) !== introducer) continue;
    const o = outcomeOf(p);
    const when = o ? Date.parse(o.at) : Number.NaN;
    if (!o || !Number.isFinite(when) || when > now) continue;
    const similar = domain !== "" && domainOf(p.target) === domain;
    const ageDays = (now - when) / DAY_MS;
    const points =
      FEEDBACK_POINTS[o.reason] *
      Math.pow(2, -ageDays / FEEDBACK_HALF_LIFE_DAYS) *
      (similar ? 1 : FEEDBACK_OTHER_TARGET_WEIGHT);
    sum += points;
    if (!top || Math.abs(points) > Math.abs(top.points))
      top = { points, reason: o.reason, at: o.at, similar };
  }
  if (!top) return undefined;
  const delta = Math.max(-FEEDBACK_BOUND, Math.min(FEEDBACK_BOUND, sum));
  const daysAgo = Math.floor((now - Date.parse(top.at)) / DAY_MS);
  return {
    delta: round1(delta),
    reason: top.reason,
    at: new Date(Date.parse(top.at)).toISOString(),
    daysAgo,
    similar: top.similar,
    text: adjustmentText(top.reason, top.similar, daysAgo),
  };
}

/** E.g. "Declined a similar request 12 days ago", "A similar introduction led to a meeting 3 months ago". */
export function adjustmentText(reason: PathAdjustment["reason"], similar: boolean, daysAgo: number): string {
  const what = similar ? "a similar" : "an earlier";
  const ago = agoText(daysAgo);
  if (reason === "declined") return `Declined ${what} request ${ago}`;
  if (reason === "made") return `Made ${what} introduction ${ago}`;
  return `${similar ? "A similar" : "An earlier"} introduction led to a meeting ${ago}`;
}

function agoText(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  if (days < 60) return `${days} days ago`;
  const months = Math.round(days / 30);
  return months < 24 ? `${months} months ago` : `${Math.round(days / 365)} years ago`;
}

/** A path with the seller's feedback applied: strength moved by the bounded delta, kept within 0-100. */
export function withFeedback(
  path: RankedPath,
  history: readonly PastIntroduction[],
  now: number,
): RankedPath {
  const adjustment = feedbackFor(path, history, now);
  if (!adjustment || adjustment.delta === 0) return path;
  const moved = Math.max(0, Math.min(100, path.baseStrength + adjustment.delta));
  return { ...path, strength: round1(moved), band: bandOf(moved), adjustment };
}

/**
 * The end of the cool-down after the seller's latest decline by this introducer (epoch ms), or undefined
 * when the seller may ask now. The cool-down is per (seller, introducer): `days` after the decline.
 */
export function coolDownUntil(
  introducer: string,
  history: readonly PastIntroduction[],
  now: number,
  days: number,
): number | undefined {
  let until: number | undefined;
  for (const p of history) {
    if (p.status !== "declined" || key(p.introducer) !== key(introducer)) continue;
    const end = Date.parse(p.respondedOn ?? p.requestedOn) + days * DAY_MS;
    if (Number.isFinite(end) && end > now && (until === undefined || end > until)) until = end;
  }
  return until;
}
