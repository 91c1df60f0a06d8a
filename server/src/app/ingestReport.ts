import type { DropKind, SkipReason } from "../core/normalise";
import { formatOrigin, type SourceIssue, type SourceIssueCode } from "../sources/sourceItem";

/** What an ingestion read, kept, skipped and could not read: every bad item counted under a name. */
export interface IngestReport {
  files: number;
  /** Items read from the sources (messages and events), before judgement. */
  items: number;
  /** Interactions kept (before cross-source de-duplication). */
  interactions: number;
  /** Exact copies recognised while reading (the same message in another folder). */
  copies: number;
  /** Items dated at or after a cutoff (a backtest's as-of date): counted in `items`, not judged. */
  afterCutoff: number;
  skipped: Partial<Record<SkipReason, number>>;
  dropped: Partial<Record<DropKind, number>>;
  issues: Partial<Record<SourceIssueCode, number>>;
  /** The first issues of each code, with where they are (file:line or file[index]) and what was wrong. */
  examples: string[];
}

export const EXAMPLES_PER_CODE = 5;

export function emptyReport(): IngestReport {
  return {
    files: 0,
    items: 0,
    interactions: 0,
    copies: 0,
    afterCutoff: 0,
    skipped: {},
    dropped: {},
    issues: {},
    examples: [],
  };
}

export function countIssue(report: IngestReport, issue: SourceIssue): void {
  const n = (report.issues[issue.code] ?? 0) + 1;
  report.issues[issue.code] = n;
  if (n <= EXAMPLES_PER_CODE)
    report.examples.push(`${issue.code} at ${formatOrigin(issue.origin)}: ${issue.message}`);
}

export function addCounts<K extends string>(
  into: Partial<Record<K, number>>,
  from: Partial<Record<K, number>>,
): void {
  for (const [k, v] of Object.entries(from) as [K, number][]) if (v) into[k] = (into[k] ?? 0) + v;
}

export function totalIssues(report: IngestReport): number {
  return Object.values(report.issues).reduce((a: number, b) => a + (b ?? 0), 0);
}

export function totalSkipped(report: IngestReport): number {
  return Object.values(report.skipped).reduce((a: number, b) => a + (b ?? 0), 0);
}
