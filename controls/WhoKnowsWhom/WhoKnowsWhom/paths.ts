import { type Band, type RankedPath, rankPaths, type Tie } from "@rapport/model";

import type { Introducer } from "./data";
import {
  ACTIVE,
  type AskBlock,
  askBlock,
  type ColleagueTie,
  type Introduction,
  pastIntroductions,
  type Person,
  type Profile,
} from "./introductions";

/** What the seller's side of the control knows, loaded once. */
export interface SellerData {
  me: Person;
  sellerTies: ColleagueTie[];
  colleagueTies: ColleagueTie[];
  mine: Introduction[];
  profiles: Map<string, Profile>;
  cap: number;
  coolDownDays: number;
}

/** One way to reach the record's people, as a card shows it. */
export interface PathView {
  /** Unique per card: the colleague asked, and the connector of a two-step path. */
  key: string;
  path: RankedPath;
  strength: number;
  band: Band;
  /**
   * Whether the list opens on it: the better of the path's band and the target side's (a colleague who knows
   * the person well is worth asking even through a weak first step).
   */
  worth: Band;
  /** The colleague asked (the first step), and for two-step paths the colleague who knows the person. */
  ask: Person;
  connector: Person | null;
  /** The colleague who knows the record's person: their target-side evidence. */
  knower: Introducer;
  /** Names along the path, "You" first. */
  names: string[];
  block: AskBlock | null;
  /** The seller's latest request through this colleague for these people, when there is one. */
  latest: Introduction | null;
}

/** An introducer's key: their user id, else (not a directory user) their address. */
export const keyOf = (i: Introducer): string => i.userId ?? i.email;

/** Everyone the control can name, by key. */
function people(introducers: Introducer[], data: SellerData): Map<string, Person> {
  const out = new Map<string, Person>();
  for (const t of [...data.sellerTies, ...data.colleagueTies]) out.set(t.other.userId, t.other);
  for (const i of introducers) out.set(keyOf(i), { userId: i.userId ?? "", name: i.name, email: i.email });
  return out;
}

/**
 * The record's introducers ranked for the signed-in seller by their whole path (model/src/introductionPaths.ts):
 * the seller's tie to the colleague and the colleague's to the person, two-step paths where no colleague
 * who knows the person is known to the seller, the seller's past introductions as feedback. Opted-out
 * colleagues are left out (they stay in the data). Each path says whether it can be asked now.
 */
export function rankedViews(
  introducers: Introducer[],
  data: SellerData,
  now: number,
  youName: string,
  /** The record's person (a contact's or lead's name): names the last step where the directory does not. */
  personName?: string,
): PathView[] {
  const me = data.me.userId;
  const targets = [...new Set(introducers.flatMap((i) => i.knows.map((k) => k.toLowerCase())))];
  const targetTies: Tie[] = introducers.map((i) => ({
    a: keyOf(i),
    b: (i.knows[0] ?? "").toLowerCase(),
    strength: i.strength,
    band: i.band,
  }));
  const byKey = new Map(introducers.map((i) => [keyOf(i), i]));
  const named = people(introducers, data);
  const targetNames = new Map(
    introducers.flatMap((i) => i.knows.map((k, j) => [k.toLowerCase(), i.knowsNames?.[j] ?? k] as const)),
  );
  const history = pastIntroductions(data.mine);
  const nameOf = (address: string): string => {
    const known = targetNames.get(address);
    return known && known !== address ? known : (personName ?? address);
  };
  const paths = rankPaths({
    seller: me,
    target: targets,
    sellerTies: data.sellerTies,
    targetTies,
    colleagueTies: data.colleagueTies,
    history,
    now,
    eligible: (c) => data.profiles.get(c)?.accepts !== false,
  });
  const rules = { cap: data.cap, coolDownDays: data.coolDownDays, now };
  return paths.flatMap((path) => {
    const knower = byKey.get(path.connector ?? path.introducer);
    const ask = named.get(path.introducer);
    if (!knower || !ask) return [];
    const connector = path.connector ? (named.get(path.connector) ?? null) : null;
    const theirs = data.mine.filter((x) => x.introducer.userId === path.introducer);
    const latest =
      [...theirs].reverse().find((x) => targets.includes(x.targetEmail)) ??
      [...theirs].reverse().find((x) => ACTIVE.includes(x.status)) ??
      null;
    return [
      {
        key: `${path.introducer}>${path.connector ?? ""}`,
        path,
        strength: path.strength,
        band: path.band,
        worth: path.band === "weak" ? knower.band : path.band,
        ask,
        connector,
        knower,
        names: [youName, ...path.steps.map((x) => named.get(x.to)?.name ?? nameOf(x.to))],
        block: askBlock(ask.userId || null, targets, data.mine, data.profiles.get(path.introducer), rules),
        latest,
      },
    ];
  });
}
