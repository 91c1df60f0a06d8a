import { domainOf } from "../../core/address";
import type { Interaction } from "../../core/interaction";
import { DAY_MS } from "../../core/time";

/**
 * The demo org's sales history, derived from the mail (docs/demo-crm.md, "Sales history"): a deal is a
 * burst of two-way mail between the colleagues and a company's people who are CRM records. Pure: the
 * mail and the as-of instant in, the deals out.
 *
 * - A company is the domain of an external person who is a CRM record (free mail, schools, government
 *   and the military are not customers: the caller leaves them out). Its exchanges are the messages, of
 *   at most MAX_RECIPIENTS recipients, that a colleague sent to one of its people or one of its people
 *   sent to a colleague (its people: every address at the domain but devices, records or not).
 * - They split into bursts wherever GAP_DAYS pass without one; a burst of MIN_EXCHANGES or more, with
 *   mail both ways and at least one of the company's CRM records taking part, is a deal spanning its
 *   first to its last exchange.
 * - A deal whose last exchange is within OPEN_DAYS of now is still open. The others are closed: **won**
 *   when the company and the colleagues exchanged mail again within REPEAT_DAYS after the close (repeat
 *   business, delivery), **lost** when they did not: Out-Sold if they wrote again later (the company
 *   stayed in touch, the business went elsewhere), Canceled if the company never wrote again. The
 *   outcome reads only mail after the close, none of the deal's own exchanges.
 */
export const DEAL_RULES = {
  MAX_RECIPIENTS: 20,
  GAP_DAYS: 21,
  MIN_EXCHANGES: 3,
  OPEN_DAYS: 45,
  REPEAT_DAYS: 120,
};
export type DealRules = typeof DEAL_RULES;
/** At most this many sales team members (besides the owner) and stakeholders per deal. */
export const TEAM_CAP = 4;
export const STAKEHOLDER_CAP = 5;

/** How someone took part in an exchange: wrote it, was addressed, or was copied. */
export type Part = "wrote" | "to" | "cc";

/** One message between the colleagues and a company. */
export interface Exchange {
  at: number;
  /** Sent by a colleague (true) or by the company's person (false). */
  out: boolean;
  /** Colleagues (user ids) taking part, and how. */
  colleagues: ReadonlyMap<string, Part>;
  /** The company's people (addresses) taking part, and how. */
  people: ReadonlyMap<string, Part>;
}

/** Someone's part in a deal's window: messages written, addressed to them, copied to them. */
export interface Involvement {
  wrote: number;
  to: number;
  cc: number;
  /** Distinct counterparts they wrote to (colleagues for a contact, the company's people for a colleague). */
  wroteTo: number;
}

export interface Deal {
  domain: string;
  start: number;
  end: number;
  exchanges: number;
  outcome: "open" | "won" | "lost";
  /** Lost only: 5 Out-Sold when the company wrote again after REPEAT_DAYS, 4 Canceled when it never did. */
  lostStatus?: 4 | 5;
  /** Colleagues (user ids) and the company's people (addresses) by involvement in the window. */
  colleagues: ReadonlyMap<string, Involvement>;
  people: ReadonlyMap<string, Involvement>;
  /** The CRM record who wrote the company's last message in the window, if a record wrote it. */
  lastWriter: string | undefined;
}

export interface DealInput {
  /** Every address of every colleague, to their user id. */
  userIdOf: ReadonlyMap<string, string>;
  /** The external people who are CRM records, at the companies that may be customers. */
  records: ReadonlySet<string>;
  interactions: readonly Pick<Interaction, "at" | "from" | "to" | "cc" | "bcc" | "recipientCount">[];
  now: number;
  /** DEAL_RULES unless given (tests). */
  rules?: DealRules;
}

/** The company deals in the mail, by domain then start. */
export function deriveDeals(input: DealInput): Deal[] {
  const r = input.rules ?? DEAL_RULES;
  const byDomain = exchangesByDomain(input, r.MAX_RECIPIENTS);
  const deals: Deal[] = [];
  for (const domain of [...byDomain.keys()].sort()) {
    const list = byDomain.get(domain)!.sort((a, b) => a.at - b.at);
    for (const burst of burstsOf(list, r.GAP_DAYS)) {
      if (burst.length < r.MIN_EXCHANGES || !burst.some((e) => e.out) || burst.every((e) => e.out)) continue;
      if (!burst.some((e) => [...e.people.keys()].some((a) => input.records.has(a)))) continue;
      deals.push(dealOf({ domain, burst, all: list, records: input.records, now: input.now }, r));
    }
  }
  return deals;
}

/** Each company's exchanges with the colleagues (unsorted). */
function exchangesByDomain(input: DealInput, maxRecipients: number): Map<string, Exchange[]> {
  const companies = new Set([...input.records].map(domainOf));
  const atCompany = (a: string) => companies.has(domainOf(a)) && isPerson(a) && !input.userIdOf.has(a);
  const byDomain = new Map<string, Exchange[]>();
  const add = (domain: string, e: Exchange) => byDomain.set(domain, [...(byDomain.get(domain) ?? []), e]);
  for (const i of input.interactions) {
    if (i.recipientCount > maxRecipients) continue;
    const recipients = new Map<string, Part>();
    for (const a of [...i.cc, ...i.bcc]) recipients.set(a, "cc");
    for (const a of i.to) recipients.set(a, "to");
    const sender = input.userIdOf.get(i.from);
    if (sender !== undefined) {
      const domains = new Set([...recipients.keys()].filter(atCompany).map(domainOf));
      for (const d of domains)
        add(d, exchange(i.at, { out: true, who: sender }, recipients, d, input.userIdOf));
    } else if (atCompany(i.from) && [...recipients.keys()].some((a) => input.userIdOf.has(a))) {
      const d = domainOf(i.from);
      add(d, exchange(i.at, { out: false, who: i.from }, recipients, d, input.userIdOf));
    }
  }
  return byDomain;
}

/** An exchange written by a colleague (out) or by the company's person. */
function exchange(
  at: number,
  writer: { out: boolean; who: string },
  recipients: ReadonlyMap<string, Part>,
  domain: string,
  userIdOf: ReadonlyMap<string, string>,
): Exchange {
  const { out, who } = writer;
  const colleagues = new Map<string, Part>(out ? [[who, "wrote"]] : []);
  const people = new Map<string, Part>(out ? [] : [[who, "wrote"]]);
  for (const [a, part] of recipients) {
    const user = userIdOf.get(a);
    if (user !== undefined && !colleagues.has(user)) colleagues.set(user, part);
    else if (user === undefined && domainOf(a) === domain && isPerson(a) && !people.has(a))
      people.set(a, part);
  }
  return { at, out, colleagues, people };
}

/** Runs of exchanges with no gap of more than GAP_DAYS. */
function burstsOf(sorted: readonly Exchange[], gapDays: number): Exchange[][] {
  const bursts: Exchange[][] = [];
  for (const e of sorted) {
    const last = bursts[bursts.length - 1];
    if (last && e.at - last[last.length - 1]!.at <= gapDays * DAY_MS) last.push(e);
    else bursts.push([e]);
  }
  return bursts;
}

function dealOf(
  {
    domain,
    burst,
    all,
    records,
    now,
  }: {
    domain: string;
    burst: readonly Exchange[];
    all: readonly Exchange[];
    records: ReadonlySet<string>;
    now: number;
  },
  r: DealRules,
): Deal {
  const start = burst[0]!.at;
  const end = burst[burst.length - 1]!.at;
  const later = all.filter((e) => e.at > end);
  const base = {
    domain,
    start,
    end,
    exchanges: burst.length,
    colleagues: involvement(
      burst,
      (e) => e.colleagues,
      (e) => e.people,
    ),
    people: involvement(
      burst,
      (e) => e.people,
      (e) => e.colleagues,
    ),
    lastWriter: [...burst]
      .reverse()
      .filter((e) => !e.out)
      .map((e) => e.people.keys().next().value!)
      .find((a) => records.has(a)),
  };
  if (end >= now - r.OPEN_DAYS * DAY_MS) return { ...base, outcome: "open" };
  if (later.some((e) => e.at <= end + r.REPEAT_DAYS * DAY_MS)) return { ...base, outcome: "won" };
  return { ...base, outcome: "lost", lostStatus: later.length ? 5 : 4 };
}

function involvement(
  burst: readonly Exchange[],
  side: (e: Exchange) => ReadonlyMap<string, Part>,
  other: (e: Exchange) => ReadonlyMap<string, Part>,
): Map<string, Involvement> {
  const out = new Map<string, Involvement>();
  const counterparts = new Map<string, Set<string>>();
  for (const e of burst)
    for (const [who, part] of side(e)) {
      const v = out.get(who) ?? { wrote: 0, to: 0, cc: 0, wroteTo: 0 };
      v[part] += 1;
      out.set(who, v);
      if (part !== "wrote") continue;
      const set = counterparts.get(who) ?? new Set();
      for (const k of other(e).keys()) set.add(k);
      counterparts.set(who, set);
    }
  for (const [who, v] of out) v.wroteTo = counterparts.get(who)?.size ?? 0;
  return out;
}

/** Pagers and fax gateways (`7133540022@skytel.com`) are devices, not people. */
export const isPerson = (address: string): boolean => /[a-z]/.test(address.slice(0, address.indexOf("@")));

/** Most involved first: written, then all parts, then by key (deterministic). */
export function byInvolvement(m: ReadonlyMap<string, Involvement>): string[] {
  const total = (v: Involvement) => v.wrote + v.to + v.cc;
  return [...m.entries()]
    .sort((a, b) => b[1].wrote - a[1].wrote || total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1))
    .map(([k]) => k);
}
