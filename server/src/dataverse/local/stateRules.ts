import type { ColumnDef } from "../model";
import { DataverseHttpError, ERROR_CODES } from "./errors";
import type { TableInfo } from "./tableInfo";
import type { Row } from "./values";

/**
 * Status and status reason, as Dataverse keeps them: every status reason (statuscode) belongs to one
 * status (statecode), a new record gets its status's default reason, and a pair that does not belong
 * together is refused. Some tables change status only through their own messages: an opportunity is
 * won or lost with WinOpportunity / LoseOpportunity (opportunityClose.ts), never by a create or update.
 */

/** Tables whose closed statuses only their own messages set: table → statuses an update may not set. */
const CLOSED_BY_MESSAGE: Record<string, { states: readonly number[]; messages: string }> = {
  opportunity: { states: [1, 2], messages: "WinOpportunity or LoseOpportunity" },
};

const invalid = (message: string): DataverseHttpError =>
  new DataverseHttpError(400, ERROR_CODES.validation, message);

const reasonsOf = (info: TableInfo): ColumnDef | undefined => {
  const c = info.byName.get("statuscode");
  return c?.options?.some((o) => o.state !== undefined) ? c : undefined;
};

/** The statecode a status reason belongs to (undefined: not a reason of this table). */
const stateOfReason = (reasons: ColumnDef, value: number): number | undefined =>
  reasons.options?.find((o) => o.value === value)?.state;

/**
 * The status and reason a write leaves, checked: `row` is the record as it will be, `sent` what the
 * request set. Returns the columns to add (a default reason, or the status a reason implies).
 */
export function settleState(info: TableInfo, row: Row, sent: Row, byMessage = false): Row {
  const reasons = reasonsOf(info);
  if (!reasons) return {};
  const state = typeof row["statecode"] === "number" ? row["statecode"] : 0;
  const out = reasonAndState(info, reasons, state, row, sent);
  if (!byMessage) refuseClosing(info, { ...row, ...out }, sent);
  return out;
}

function reasonAndState(info: TableInfo, reasons: ColumnDef, state: number, row: Row, sent: Row): Row {
  const reason = row["statuscode"];
  if ("statuscode" in sent && typeof reason === "number") {
    const belongs = stateOfReason(reasons, reason);
    if (!("statecode" in sent)) return belongs === undefined ? {} : { statecode: belongs };
    if (belongs !== state)
      throw invalid(
        `${reason} is not a valid status code for state code ${state} on ${info.def.logicalName}.`,
      );
    return {};
  }
  if (!("statecode" in sent) && reason !== undefined && reason !== null) return {};
  // A new status without a reason takes the status's first (default) reason.
  const first = reasons.options?.find((o) => o.state === state);
  return first ? { statuscode: first.value } : {};
}

function refuseClosing(info: TableInfo, row: Row, sent: Row): void {
  const rule = CLOSED_BY_MESSAGE[info.def.logicalName];
  if (!rule || !("statecode" in sent || "statuscode" in sent)) return;
  const state = row["statecode"];
  if (typeof state === "number" && rule.states.includes(state))
    throw invalid(
      `The status of ${info.def.logicalName} cannot be set to ${state} by a create or update: use ${rule.messages}.`,
    );
}
