/**
 * The names of the choices Rapport's tables use (one global choice each in the solution), in option order:
 * the option value of a name is CHOICE_BASE + its index. Labels are in rapportTables.ts (CHOICES); this
 * module holds names only, so a control or page that reads choice values bundles a few strings.
 */

/** The first option value of a custom choice, the range Dataverse gives custom choices. */
export const CHOICE_BASE = 100_000_000;

export const CHOICE_NAMES = {
  recordType: ["contact", "lead", "opportunity", "account"],
  healthStatus: ["good", "fair", "poor", "notEnoughInfo", "notScored"],
  healthTrend: ["improving", "steady", "declining", "notEnoughInfo"],
  activityType: ["email", "meeting", "call", "task"],
  direction: ["out", "in"],
  band: ["strong", "moderate", "weak"],
  targetType: ["person", "company", "colleague"],
  cadence: ["daily", "fewDays", "weekly", "fewWeeks", "monthly"],
  similarBasis: ["alike", "recent", "tooFew"],
  introductionStatus: ["requested", "accepted", "declined", "snoozed", "made", "meetingHeld", "won", "lost"],
} as const;

export type ChoiceSet = keyof typeof CHOICE_NAMES;
/** The core names of one choice set, e.g. ChoiceName<"band"> = "strong" | "moderate" | "weak". */
export type ChoiceName<S extends ChoiceSet> = (typeof CHOICE_NAMES)[S][number];

export type RecordType = ChoiceName<"recordType">;
export type HealthStatus = ChoiceName<"healthStatus">;
export type HealthTrend = ChoiceName<"healthTrend">;
export type ActivityType = ChoiceName<"activityType">;
export type Direction = ChoiceName<"direction">;
export type Band = ChoiceName<"band">;
export type TargetType = ChoiceName<"targetType">;
export type Cadence = ChoiceName<"cadence">;
export type SimilarBasis = ChoiceName<"similarBasis">;
export type IntroductionStatus = ChoiceName<"introductionStatus">;

/** The option value for a core name (throws on a name the choice does not hold: a programming error). */
export function choiceValue(set: ChoiceSet, coreName: string): number {
  const i = (CHOICE_NAMES[set] as readonly string[]).indexOf(coreName);
  if (i < 0) throw new Error(`No ${set} choice for "${coreName}"`);
  return CHOICE_BASE + i;
}

/** The core name for an option value, or undefined for a value the choice does not hold. */
export function choiceName(set: ChoiceSet, value: number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return (CHOICE_NAMES[set] as readonly string[])[value - CHOICE_BASE];
}
