import type { Directory } from "../../core/directory";
import type { ColleagueTie, InsightsResult } from "../../core/insights";
import { colleagueConnectionRow, companyConnectionRows, personConnectionRow } from "./connectionRows";
import type { DesiredRow } from "./desiredRow";
import { historyRows, insightRow } from "./insightRows";

export interface PublishSet {
  insights: DesiredRow[];
  history: DesiredRow[];
  connections: DesiredRow[];
}

/**
 * Everything a computation publishes, as rows keyed by their alternate keys; with the colleague ties
 * (colleagueTiesOf) when given.
 */
export function rowsOf(
  result: InsightsResult,
  directory: Directory,
  colleagueTies: readonly ColleagueTie[] = [],
): PublishSet {
  const insights: DesiredRow[] = [];
  const history: DesiredRow[] = [];
  const connections: DesiredRow[] = [];
  for (const r of result.records) {
    insights.push(insightRow(r, result.computedAt));
    history.push(...historyRows(r));
    connections.push(...companyConnectionRows(r, directory));
  }
  for (const c of result.connections) connections.push(personConnectionRow(c, directory));
  for (const t of colleagueTies) connections.push(colleagueConnectionRow(t, directory));
  return { insights, history, connections };
}
