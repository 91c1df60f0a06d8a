/**
 * An account's industry and size in the demo org (docs/demo-crm.md), from what the mail shows of the
 * company: its domain, and how many of its people appear in the mail.
 *
 * Industry: the first row of INDUSTRY_KEYWORDS whose pattern matches the domain, else none (left empty:
 * the sample does not say). Values are Dataverse's default `industrycode` options (model INDUSTRY).
 */
export const INDUSTRY_KEYWORDS: readonly { pattern: RegExp; industry: number; label: string }[] = [
  { pattern: /pwc|andersen|kpmg|deloitte|ey\.com/, industry: 1, label: "Accounting" },
  {
    pattern: /law|legal|llp|jonesday|kurth|haysmcconn|lessard|stephenson/,
    industry: 21,
    label: "Legal Services",
  },
  { pattern: /consult|advisors|mgl/, industry: 7, label: "Consulting" },
  { pattern: /insur/, industry: 20, label: "Insurance" },
  {
    pattern: /bank|chase|csfb|capital|financ|funds|invest|securities|credit/,
    industry: 16,
    label: "Financial",
  },
  {
    pattern: /petro|oil|conoco|exxon|chevron|texaco|elpaso|kindermorgan|pump|mieco|williams/,
    industry: 24,
    label: "Petrochemical Extraction and Distribution",
  },
  {
    pattern:
      /energy|power|electric|edison|utili|gas|light|hydro|nuclear|cinergy|calpine|exelon|pseg|gpu|txu|pnm|nicor|iso\.|^ci\.|^city\.|\.ca\.us$|\.az\.us$|cruces|roseville|enermetrix|energygateway/,
    industry: 31,
    label: "Utility Creation and Distribution",
  },
  { pattern: /trans|carrier|freight|rail|shipping/, industry: 30, label: "Transportation" },
  {
    pattern: /platts|review|news|media|press|publish|tv\b|cvtv/,
    industry: 3,
    label: "Broadcasting Printing and Publishing",
  },
  {
    pattern: /homes|realty|construct|-gc\b|builders/,
    industry: 28,
    label: "Special Outbound Trade Contractors",
  },
  { pattern: /dell|palm|tech|systems|software|insync/, industry: 12, label: "Durable Manufacturing" },
];

/** The industry (Dataverse option value) by the domain's keywords, or undefined. */
export function industryOf(domain: string): number | undefined {
  return INDUSTRY_KEYWORDS.find((k) => k.pattern.test(domain))?.industry;
}

/**
 * Number of employees, as a band from the company's distinct people seen in the mail (the sample sees a
 * few of a large company's people): 1-2 → 50, 3-5 → 250, 6-10 → 1,000, 11-25 → 5,000, more → 20,000.
 */
export function employeesOf(peopleSeen: number): number {
  if (peopleSeen <= 2) return 50;
  if (peopleSeen <= 5) return 250;
  if (peopleSeen <= 10) return 1_000;
  if (peopleSeen <= 25) return 5_000;
  return 20_000;
}
