import { CHOICE_NAMES, choiceName, choiceValue, SettingsColumns as S } from "@rapport/model";

import { type Cadence, DEFAULT_CONFIG } from "../../../server/src/core/config";
import type { StringKey } from "./strings";

// The form's state and its mapping to and from the rp_settings row: pure, tested on its own.

export const RECORD_TYPES = ["contact", "lead", "opportunity", "account"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const WEIGHT_KINDS = ["email", "meeting", "phonecall", "task"] as const;
export type WeightKind = (typeof WEIGHT_KINDS)[number];

/** The five Dynamics 365 "communication frequency" choices, in option order. */
export const CADENCES = CHOICE_NAMES.cadence as readonly Cadence[];

/** The settings columns of each record type's cadence and each activity kind's weight. */
const CADENCE_COLUMN: Record<RecordType, string> = {
  contact: S.cadenceContact,
  lead: S.cadenceLead,
  opportunity: S.cadenceOpportunity,
  account: S.cadenceAccount,
};
const WEIGHT_COLUMN: Record<WeightKind, string> = {
  email: S.emailWeight,
  meeting: S.meetingWeight,
  phonecall: S.phonecallWeight,
  task: S.taskWeight,
};

/** Dynamics stores activity influence as 3..9 around a neutral 6: 3 is −50%, 9 is +50%. */
export const WEIGHT_MIN = 3;
export const WEIGHT_MAX = 9;
export const WEIGHT_NEUTRAL = 6;

export interface SettingsForm {
  analytics: boolean;
  whoKnowsWhom: boolean;
  m365: boolean;
  weights: Record<WeightKind, number>;
  cadence: Record<RecordType, Cadence>;
  /** As typed (validated before saving). */
  good: string;
  fair: string;
  /** Text areas, one entry per line. */
  orgDomains: string;
  excludedDomains: string;
  excludedAddresses: string;
  whoKnowsWhomRoles: string;
  /** Colleagues who opted out, by address. */
  optedOutUsers: string[];
  introductionTemplate: string;
  /** As typed; empty: the defaults (3 open requests, 30 days). */
  introductionCap: string;
  cooldownDays: string;
}

/** What an org without a settings row runs with: the engine's defaults. */
export const DEFAULT_FORM: Readonly<SettingsForm> = Object.freeze({
  analytics: true,
  whoKnowsWhom: true,
  m365: true,
  weights: { email: 6, meeting: 6, phonecall: 6, task: 6 },
  cadence: { ...DEFAULT_CONFIG.cadence },
  good: String(DEFAULT_CONFIG.thresholds.good),
  fair: String(DEFAULT_CONFIG.thresholds.fair),
  orgDomains: "",
  excludedDomains: "",
  excludedAddresses: "",
  whoKnowsWhomRoles: "",
  optedOutUsers: [],
  introductionTemplate: "",
  introductionCap: "",
  cooldownDays: "",
});

/** What an empty cap or cool-down means (the model's column descriptions say the same). */
export const DEFAULT_INTRODUCTION_CAP = 3;
export const DEFAULT_COOLDOWN_DAYS = 30;
/** The columns' ranges (model/src/rapportTables.ts). */
export const CAP_RANGE = { min: 1, max: 50 } as const;
export const COOLDOWN_RANGE = { min: 0, max: 365 } as const;

/** The percentage a weight stands for: 3 → −50, 6 → 0, 9 → +50 (rounded). */
export function weightPercent(weight: number): number {
  return Math.round(((weight - WEIGHT_NEUTRAL) / WEIGHT_NEUTRAL) * 100);
}

/** "−50%", "0%", "+17%" (with a true minus sign). */
export function formatPercent(weight: number): string {
  const p = weightPercent(weight);
  return p > 0 ? `+${p}%` : p < 0 ? `\u2212${-p}%` : "0%";
}

/** One entry per line (commas and semicolons also separate, as the engine reads them), trimmed, no blanks. */
export function entriesOf(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lines only (role names may hold commas). */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const listText = (v: unknown): string => entriesOf(str(v)).join("\n");
const wholeText = (v: unknown): string => (typeof v === "number" && Number.isInteger(v) ? String(v) : "");
/** An optional whole number as typed: null when empty (the default applies). */
const optionalWhole = (text: string): number | null => (text.trim() ? Number(text.trim()) : null);
const weightOf = (v: unknown): number =>
  typeof v === "number" && Number.isInteger(v) && v >= WEIGHT_MIN && v <= WEIGHT_MAX ? v : WEIGHT_NEUTRAL;

/** The form for a row as the Web API returns it; no row (or an empty column) shows the default. */
export function formFromRow(row: Record<string, unknown> | undefined): SettingsForm {
  if (!row) return structuredClone(DEFAULT_FORM) as SettingsForm;
  const cadence = { ...DEFAULT_FORM.cadence };
  for (const type of RECORD_TYPES) {
    const v = row[CADENCE_COLUMN[type]];
    const name = choiceName("cadence", typeof v === "number" ? v : null);
    if (name) cadence[type] = name as Cadence;
  }
  const threshold = (v: unknown, fallback: string) =>
    typeof v === "number" && Number.isFinite(v) ? String(v) : fallback;
  return {
    analytics: row[S.analyticsEnabled] !== false,
    whoKnowsWhom: row[S.whoKnowsWhomEnabled] !== false,
    m365: row[S.m365Enabled] !== false,
    weights: {
      email: weightOf(row[S.emailWeight]),
      meeting: weightOf(row[S.meetingWeight]),
      phonecall: weightOf(row[S.phonecallWeight]),
      task: weightOf(row[S.taskWeight]),
    },
    cadence,
    good: threshold(row[S.goodThreshold], DEFAULT_FORM.good),
    fair: threshold(row[S.fairThreshold], DEFAULT_FORM.fair),
    orgDomains: listText(row[S.orgDomains]),
    excludedDomains: listText(row[S.excludedDomains]),
    excludedAddresses: listText(row[S.excludedAddresses]),
    whoKnowsWhomRoles: linesOf(str(row[S.whoKnowsWhomRoles])).join("\n"),
    optedOutUsers: [...new Set(entriesOf(str(row[S.optedOutUsers])).map((a) => a.toLowerCase()))],
    introductionTemplate: str(row[S.introductionTemplate]),
    introductionCap: wholeText(row[S.introductionCap]),
    cooldownDays: wholeText(row[S.introductionCooldownDays]),
  };
}

/** The JSON body that saves the form (every column, so the row says exactly what the page showed). */
export function rowFromForm(form: SettingsForm): Record<string, string | number | boolean | null> {
  const row: Record<string, string | number | boolean | null> = {
    [S.name]: "Default",
    [S.analyticsEnabled]: form.analytics,
    [S.whoKnowsWhomEnabled]: form.whoKnowsWhom,
    [S.m365Enabled]: form.m365,
    [S.goodThreshold]: Number(form.good.trim()),
    [S.fairThreshold]: Number(form.fair.trim()),
    [S.orgDomains]: entriesOf(form.orgDomains).join("\n"),
    [S.excludedDomains]: entriesOf(form.excludedDomains).join("\n"),
    [S.excludedAddresses]: entriesOf(form.excludedAddresses).join("\n"),
    [S.optedOutUsers]: form.optedOutUsers.join("\n"),
    [S.whoKnowsWhomRoles]: linesOf(form.whoKnowsWhomRoles).join("\n"),
    [S.introductionTemplate]: form.introductionTemplate.trim() ? form.introductionTemplate : null,
    [S.introductionCap]: optionalWhole(form.introductionCap),
    [S.introductionCooldownDays]: optionalWhole(form.cooldownDays),
  };
  for (const kind of WEIGHT_KINDS) row[WEIGHT_COLUMN[kind]] = form.weights[kind];
  for (const type of RECORD_TYPES) row[CADENCE_COLUMN[type]] = choiceValue("cadence", form.cadence[type]);
  return row;
}

export type FieldName =
  | "good"
  | "fair"
  | "orgDomains"
  | "excludedDomains"
  | "excludedAddresses"
  | "introductionCap"
  | "cooldownDays";

export interface FieldError {
  key: StringKey;
  params?: Record<string, string | number>;
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^@?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

export const isAddress = (s: string): boolean => ADDRESS.test(s.trim());

/** What must be fixed before saving, by field; empty when the form can be saved. */
export function validate(form: SettingsForm): Partial<Record<FieldName, FieldError>> {
  const errors: Partial<Record<FieldName, FieldError>> = {};
  const whole = (s: string) => (/^\d{1,3}$/.test(s.trim()) ? Number(s.trim()) : NaN);
  const good = whole(form.good);
  const fair = whole(form.fair);
  if (!(good >= 2 && good <= 100)) errors.good = { key: "goodRange" };
  if (!(fair >= 1 && fair <= 99)) errors.fair = { key: "fairRange" };
  if (!errors.good && !errors.fair && good <= fair)
    errors.good = { key: "goodAboveFair", params: { good, fair } };
  // Empty is allowed (the default); anything typed must be a whole number in the column's range.
  const optional = (text: string, r: { min: number; max: number }) =>
    !text.trim() || (/^\d{1,3}$/.test(text.trim()) && Number(text) >= r.min && Number(text) <= r.max);
  if (!optional(form.introductionCap, CAP_RANGE)) errors.introductionCap = { key: "capRange" };
  if (!optional(form.cooldownDays, COOLDOWN_RANGE)) errors.cooldownDays = { key: "cooldownRange" };
  const bad = (text: string, ok: RegExp) => entriesOf(text).filter((e) => !ok.test(e));
  for (const [field, ok, key] of [
    ["orgDomains", DOMAIN, "invalidDomains"],
    ["excludedDomains", DOMAIN, "invalidDomains"],
    ["excludedAddresses", ADDRESS, "invalidAddresses"],
  ] as const) {
    const wrong = bad(form[field], ok);
    if (wrong.length) errors[field] = { key, params: { items: wrong.slice(0, 3).join(", ") } };
  }
  return errors;
}

/** Same settings? (Lists compared as the row would store them.) */
export function sameSettings(a: SettingsForm, b: SettingsForm): boolean {
  return JSON.stringify(rowFromForm(a)) === JSON.stringify(rowFromForm(b));
}

/**
 * The form with an address added to the excluded addresses (what a forget leaves in the row); the same form
 * when the address is already there, compared as the row stores it (trimmed, lower case, one per line).
 */
export function withExcludedAddress(form: SettingsForm, address: string): SettingsForm {
  const listed = form.excludedAddresses
    .split(/\n/)
    .map((l) => l.trim().toLowerCase())
    .includes(address);
  if (listed) return form;
  return { ...form, excludedAddresses: [form.excludedAddresses.trim(), address].filter(Boolean).join("\n") };
}
