import type { ActivityMark, DayPoint, HistoryItem, PersonCount, WeekPoint } from "@rapport/model";

import type { InsightConfig } from "../config";
import type { Resolved } from "../engine/state";
import type { InteractionKind } from "../interaction";
import type { Direction } from "../participants";
import { DAY_MS, dayNumber, HOUR_MS, isoDate, weekNumber, weekStart } from "../time";
import { isoTime } from "./isoTime";

// The JSON shapes the KPIs are stored as (rp_relationshipinsight's columns) are the model's.
export type { ActivityMark, DayPoint, HistoryItem, PersonCount, WeekPoint } from "@rapport/model";

/** The KPIs Dynamics 365 names, "by us" (our team) and "by them" (the customer). */
export interface Kpis {
  windowDays: number;
  emailsSent: number;
  emailsReceived: number;
  meetingsSent: number;
  meetingsReceived: number;
  callsMade: number;
  callsReceived: number;
  /** Minutes. Our team: emails written 5 min, read 2.5 min per reader; meetings × our attendees. */
  timeSpentByTeamMin: number;
  /** Minutes. The customer: the same estimates, meetings not multiplied by their attendees. */
  timeSpentByCustomerMin: number;
  repliesByUs: number;
  repliesByThem: number;
  /** Average hours to the first reply; null when nothing was answered. */
  avgFirstResponseHoursByUs: number | null;
  avgFirstResponseHoursByThem: number | null;
  /** Share of messages answered within the reply window; null when there was nothing to answer. */
  responseRateByUs: number | null;
  responseRateByThem: number | null;
  lastActivity: ActivityMark | null;
  nextActivity: ActivityMark | null;
  lastActivityByUs: ActivityMark | null;
  lastActivityByThem: ActivityMark | null;
  /** Top 3 each side by messages sent to the other side ("most contacted by"). */
  mostContactedBy: { ours: PersonCount[]; theirs: PersonCount[] };
  /** Top 3 each side by messages received from the other side ("most contacted"). */
  mostContacted: { ours: PersonCount[]; theirs: PersonCount[] };
  /** Interactions per week, oldest first, over the last N weeks (zeros included, for charts); empty when none. */
  timeline: WeekPoint[];
  /** Per day over the last 60 days, oldest first (zeros included, for charts); empty when none. */
  activity60: DayPoint[];
  /** Total interactions in the window (the history lists the most recent). */
  interactionCount: number;
  history: HistoryItem[];
}

/** At most this many history items are kept per record; the count says how many there were. */
export const HISTORY_LIMIT = 200;
/** KPIs cover the last year, like Dynamics 365's one-year collection window. */
export const KPI_WINDOW_DAYS = 365;

/** A message waiting for an answer from the other side. */
interface Pending {
  at: number;
  side: Direction;
  from: string;
  /** Its people (the sender among them): the recipients are the others. */
  internals: readonly string[];
  externals: readonly string[];
  /** Its people as a set, made when first asked for a long list (see received). */
  people?: Set<string>;
  answered: boolean;
}

/** Up to this many people, a message's recipients are looked up in its lists rather than in a set. */
const SHORT_LIST = 16;

/** Whether `x` received the pending message: one of its people other than its sender. */
function received(p: Pending, x: string): boolean {
  if (x === p.from) return false;
  if (p.internals.length + p.externals.length <= SHORT_LIST)
    return p.internals.includes(x) || p.externals.includes(x);
  p.people ??= new Set([...p.internals, ...p.externals]);
  return p.people.has(x);
}

interface ReplyTally {
  /** Answered messages, hours to their first answer, and messages that could have been answered. */
  out: { n: number; hours: number; of: number };
  in: { n: number; hours: number; of: number };
}

/** How many people a list of a record holds at most: the controls show the top 3 ("most contacted"). */
export const PEOPLE_PER_LIST = 3;

const top3 = (m: Map<string, number>): PersonCount[] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, PEOPLE_PER_LIST)
    .map(([address, count]) => ({ address, count }));

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const mark = (r: Resolved): ActivityMark => ({
  at: isoTime(r.interaction.at),
  kind: r.interaction.kind,
  direction: r.sides.direction,
});

/** What computeKpis gathers over a record's interactions before it works out the figures (finishKpis). */
interface KpiTallies {
  /** Messages each person sent to the other side, and received from it. */
  sentByOurs: Map<string, number>;
  sentByTheirs: Map<string, number>;
  receivedByOurs: Map<string, number>;
  receivedByTheirs: Map<string, number>;
  /** Messages waiting for an answer, by thread, and the replies counted so far. */
  pending: Map<string, Pending[]>;
  answered: ReplyTally;
  /** The weekly timeline and the daily activity series, zeros included, from these week and day numbers. */
  weeks: WeekPoint[];
  days: DayPoint[];
  firstWeek: number;
  firstDay: number;
  /**
   * The newest interactions of the window (trimmed as it grows), made into history items at the end: only
   * the last HISTORY_LIMIT are kept, so the others are never formatted.
   */
  history: Resolved[];
  /** The last interaction of the window, and the last each way: marked (formatted) at the end. */
  last: Resolved | undefined;
  lastOut: Resolved | undefined;
  lastIn: Resolved | undefined;
}

function emptyKpis(): Kpis {
  return {
    windowDays: KPI_WINDOW_DAYS,
    emailsSent: 0,
    emailsReceived: 0,
    meetingsSent: 0,
    meetingsReceived: 0,
    callsMade: 0,
    callsReceived: 0,
    timeSpentByTeamMin: 0,
    timeSpentByCustomerMin: 0,
    repliesByUs: 0,
    repliesByThem: 0,
    avgFirstResponseHoursByUs: null,
    avgFirstResponseHoursByThem: null,
    responseRateByUs: null,
    responseRateByThem: null,
    lastActivity: null,
    nextActivity: null,
    lastActivityByUs: null,
    lastActivityByThem: null,
    mostContactedBy: { ours: [], theirs: [] },
    mostContacted: { ours: [], theirs: [] },
    timeline: [],
    activity60: [],
    interactionCount: 0,
    history: [],
  };
}

/** The labels of the series at an instant: its weeks' starts and its days' dates, from the first of each. */
interface SeriesLabels {
  now: number;
  timelineWeeks: number;
  activitySeriesDays: number;
  firstWeek: number;
  weekStarts: string[];
  firstDay: number;
  dates: string[];
}

/** The last labels made: every record of a run is computed at the same `now`, and shares them. */
let lastLabels: SeriesLabels | undefined;

function seriesLabels(now: number, config: InsightConfig): SeriesLabels {
  const l = lastLabels;
  if (
    l &&
    l.now === now &&
    l.timelineWeeks === config.timelineWeeks &&
    l.activitySeriesDays === config.activitySeriesDays
  )
    return l;
  const firstWeek = weekNumber(now) - config.timelineWeeks + 1;
  const firstDay = dayNumber(now) - config.activitySeriesDays + 1;
  const weekStarts: string[] = [];
  for (let w = firstWeek; w <= weekNumber(now); w++) weekStarts.push(isoDate(weekStart(w)));
  const dates: string[] = [];
  for (let d = firstDay; d <= dayNumber(now); d++) dates.push(isoDate(d * DAY_MS));
  const { timelineWeeks, activitySeriesDays } = config;
  lastLabels = { now, timelineWeeks, activitySeriesDays, firstWeek, weekStarts, firstDay, dates };
  return lastLabels;
}

function emptyTallies(now: number, config: InsightConfig): KpiTallies {
  const labels = seriesLabels(now, config);
  const weeks = labels.weekStarts.map((weekStart) => ({
    weekStart,
    sent: 0,
    received: 0,
    meetings: 0,
    calls: 0,
  }));
  const days = labels.dates.map((date): DayPoint => ({
    date,
    emailsSent: 0,
    emailsReceived: 0,
    meetingsSent: 0,
    meetingsReceived: 0,
    callsMade: 0,
    callsReceived: 0,
  }));
  return {
    sentByOurs: new Map(),
    sentByTheirs: new Map(),
    receivedByOurs: new Map(),
    receivedByTheirs: new Map(),
    pending: new Map(),
    answered: { out: { n: 0, hours: 0, of: 0 }, in: { n: 0, hours: 0, of: 0 } },
    weeks,
    days,
    firstWeek: labels.firstWeek,
    firstDay: labels.firstDay,
    history: [],
    last: undefined,
    lastOut: undefined,
    lastIn: undefined,
  };
}

/**
 * Computes a record's KPIs at `now` from its interactions in canonical order. Replies are matched within
 * a thread (see matchReply); counts and time spent cover the last year.
 * @example computeKpis(resolved, now, config).emailsSent
 */
export function computeKpis(interactions: readonly Resolved[], now: number, config: InsightConfig): Kpis {
  const from = now - KPI_WINDOW_DAYS * DAY_MS;
  const k = emptyKpis();
  const t = emptyTallies(now, config);
  for (const r of interactions) {
    const i = r.interaction;
    if (i.at > now) {
      if (!k.nextActivity && i.kind !== "email") k.nextActivity = mark(r);
      continue;
    }
    if (i.at < from) continue;
    countInteraction(k, t, r, config);
  }
  finishKpis(k, t, now, config);
  return k;
}

/** Folds one interaction of the window into the counts, the tallies and the history. */
function countInteraction(k: Kpis, t: KpiTallies, r: Resolved, config: InsightConfig): void {
  const i = r.interaction;
  const s = r.sides;
  const out = s.direction === "out";
  k.interactionCount++;
  t.last = r;
  if (out) t.lastOut = r;
  else t.lastIn = r;
  countKind(k, r, config);
  const initiator = out ? s.internals[0] : s.externals[0];
  if (initiator) bump(out ? t.sentByOurs : t.sentByTheirs, initiator);
  for (const p of out ? s.externals : s.internals) bump(out ? t.receivedByTheirs : t.receivedByOurs, p);
  if (i.kind === "email" && i.thread) matchReply(r, t.pending, t.answered, config);
  // Most of the year is before the series: no lookup at a negative index.
  const w = weekNumber(i.at) - t.firstWeek;
  const week = w >= 0 ? t.weeks[w] : undefined;
  if (week) countWeek(week, i.kind, out);
  const d = dayNumber(i.at) - t.firstDay;
  const day = d >= 0 ? t.days[d] : undefined;
  if (day) countDay(day, i.kind, out);
  t.history.push(r);
  if (t.history.length > HISTORY_LIMIT * 2) t.history.splice(0, t.history.length - HISTORY_LIMIT);
}

/** Counts by kind and direction, and the time each side spent (Dynamics 365's estimates). */
function countKind(k: Kpis, r: Resolved, config: InsightConfig): void {
  const i = r.interaction;
  const out = r.sides.direction === "out";
  const ours = r.sides.internals.length;
  const theirs = r.sides.externals.length;
  const minutes = i.durationMin ?? 0;
  switch (i.kind) {
    case "email":
      if (out) {
        k.emailsSent++;
        k.timeSpentByTeamMin += config.emailWriteMinutes;
        k.timeSpentByCustomerMin += config.emailReadMinutes * theirs;
      } else {
        k.emailsReceived++;
        k.timeSpentByCustomerMin += config.emailWriteMinutes;
        k.timeSpentByTeamMin += config.emailReadMinutes * ours;
      }
      break;
    case "meeting":
      if (out) k.meetingsSent++;
      else k.meetingsReceived++;
      k.timeSpentByTeamMin += minutes * ours;
      k.timeSpentByCustomerMin += minutes;
      break;
    case "call":
      if (out) k.callsMade++;
      else k.callsReceived++;
      k.timeSpentByTeamMin += minutes;
      k.timeSpentByCustomerMin += minutes;
      break;
    case "task":
      k.timeSpentByTeamMin += minutes;
      break;
  }
}

function historyItem(r: Resolved): HistoryItem {
  const i = r.interaction;
  const item: HistoryItem = {
    at: isoTime(i.at),
    kind: i.kind,
    direction: r.sides.direction,
    ours: r.sides.internals,
    theirs: r.sides.externals,
  };
  if (i.source === "dataverse" && i.subject !== undefined) item.subject = i.subject;
  if (i.activityId) item.activityId = i.activityId;
  return item;
}

/** Works out the figures from the tallies: replies and rates, top people, series, history, rounding. */
function finishKpis(k: Kpis, t: KpiTallies, now: number, config: InsightConfig): void {
  const answered = t.answered;
  // Messages still unanswered count against the response rate only once the reply window has passed.
  for (const list of t.pending.values()) {
    for (const p of list)
      if (!p.answered && now - p.at > config.replyWindowDays * DAY_MS) countUnanswered(p, answered);
  }
  k.repliesByUs = answered.in.n;
  k.repliesByThem = answered.out.n;
  k.avgFirstResponseHoursByUs = answered.in.n ? round1(answered.in.hours / answered.in.n) : null;
  k.avgFirstResponseHoursByThem = answered.out.n ? round1(answered.out.hours / answered.out.n) : null;
  k.responseRateByUs = answered.in.of ? round3(answered.in.n / answered.in.of) : null;
  k.responseRateByThem = answered.out.of ? round3(answered.out.n / answered.out.of) : null;
  k.mostContactedBy = { ours: top3(t.sentByOurs), theirs: top3(t.sentByTheirs) };
  k.mostContacted = { ours: top3(t.receivedByOurs), theirs: top3(t.receivedByTheirs) };
  // A series with nothing in it is left empty: the forms show their "no recent activity" state.
  const timeline = t.weeks;
  const activity60 = t.days;
  k.timeline = timeline.some((w) => w.sent + w.received + w.meetings + w.calls > 0) ? timeline : [];
  k.activity60 = activity60.some(
    (d) =>
      d.emailsSent + d.emailsReceived + d.meetingsSent + d.meetingsReceived + d.callsMade + d.callsReceived >
      0,
  )
    ? activity60
    : [];
  k.history = t.history.slice(-HISTORY_LIMIT).reverse().map(historyItem);
  markLast(k, t);
  k.timeSpentByTeamMin = round1(k.timeSpentByTeamMin);
  k.timeSpentByCustomerMin = round1(k.timeSpentByCustomerMin);
}

/** The last activity, overall and each way (the one overall is also the last of its side). */
function markLast(k: Kpis, t: KpiTallies): void {
  if (t.last) k.lastActivity = mark(t.last);
  if (t.lastOut) k.lastActivityByUs = t.lastOut === t.last ? k.lastActivity : mark(t.lastOut);
  if (t.lastIn) k.lastActivityByThem = t.lastIn === t.last ? k.lastActivity : mark(t.lastIn);
}

function countWeek(week: WeekPoint, kind: InteractionKind, out: boolean): void {
  if (kind === "email") {
    if (out) week.sent++;
    else week.received++;
  } else if (kind === "meeting") week.meetings++;
  else if (kind === "call") week.calls++;
}

function countUnanswered(p: Pending, answered: ReplyTally): void {
  answered[p.side].of++;
}

/**
 * Reply matching: a message answers the pending messages of the other side in its thread that its sender
 * received and whose sender it addresses, sent within the reply window before it. Each message is
 * answered at most once (its first response).
 */
function matchReply(
  r: Resolved,
  pending: Map<string, Pending[]>,
  answered: ReplyTally,
  config: InsightConfig,
): void {
  const i = r.interaction;
  const thread = i.thread as string;
  let list = pending.get(thread);
  if (!list) pending.set(thread, (list = []));
  const mySide = r.sides.direction;
  const otherSide: Direction = mySide === "out" ? "in" : "out";
  const window = config.replyWindowDays * DAY_MS;
  const canAnswer = i.isReply === true || thread.startsWith("c:");
  // Canonical addresses (aliases resolved): the sender leads its side; everyone else received the message.
  const sender = (mySide === "out" ? r.sides.internals[0] : r.sides.externals[0]) ?? i.from;
  const mine: Pending = {
    at: i.at,
    side: mySide,
    from: sender,
    internals: r.sides.internals,
    externals: r.sides.externals,
    answered: false,
  };
  if (canAnswer) answerPending(list, mine, answered[otherSide], window);
  // Drop what can no longer be answered, counting it as unanswered (in place: one list per thread).
  let kept = 0;
  for (const p of list) {
    if (p.answered) continue;
    if (i.at - p.at > window) answered[p.side].of++;
    else list[kept++] = p;
  }
  list.length = kept;
  list.push(mine);
  if (list.length > 50) list.splice(0, list.length - 50);
}

/** Marks the messages of the other side that `mine` answers (see matchReply), counting them into `tally`. */
function answerPending(
  list: readonly Pending[],
  mine: Pending,
  tally: ReplyTally["out"],
  window: number,
): void {
  const at = mine.at;
  for (const p of list) {
    if (p.answered || p.side === mine.side) continue;
    if (at - p.at > window || at < p.at) continue;
    if (!received(p, mine.from) || !received(mine, p.from)) continue;
    p.answered = true;
    tally.n++;
    tally.of++;
    tally.hours += (at - p.at) / HOUR_MS;
  }
}

function countDay(day: DayPoint, kind: InteractionKind, out: boolean): void {
  if (kind === "email") {
    if (out) day.emailsSent++;
    else day.emailsReceived++;
  } else if (kind === "meeting") {
    if (out) day.meetingsSent++;
    else day.meetingsReceived++;
  } else if (kind === "call") {
    if (out) day.callsMade++;
    else day.callsReceived++;
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
