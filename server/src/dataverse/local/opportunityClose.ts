import { badPayload, DataverseHttpError, ERROR_CODES, methodNotAllowed, recordNotFound } from "./errors";
import type { RouteCall } from "./router/call";
import { demand } from "./security";
import { infoByLogicalName, type TableInfo } from "./tableInfo";
import { isoSeconds, type Row } from "./values";
import { createRecord, isRecord, parseJsonBody, resolveReference } from "./writes";

/**
 * The unbound actions `WinOpportunity` and `LoseOpportunity`, the only way Dataverse closes an
 * opportunity: `{"Status": <status reason>, "OpportunityClose": {<opportunityclose>, with
 * "opportunityid@odata.bind"}}`. They create the opportunity close activity (completed) and set the
 * opportunity's status, status reason, actual close date (the close's actualend, else today) and actual
 * revenue (the close's actualrevenue). A closed opportunity cannot be closed again; a create or update
 * cannot close one (stateRules.ts).
 */

const ACTIONS = {
  WinOpportunity: { state: 1, label: "OpportunityState.Won" },
  LoseOpportunity: { state: 2, label: "OpportunityState.Lost" },
} as const;

type ActionName = keyof typeof ACTIONS;

const PARAMETERS = new Set(["Status", "OpportunityClose"]);

function readParameters(action: ActionName, body: Record<string, unknown>) {
  for (const key of Object.keys(body))
    if (!PARAMETERS.has(key))
      throw badPayload(
        `The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`,
      );
  const status = body["Status"];
  const close = body["OpportunityClose"];
  if (typeof status !== "number" || !Number.isInteger(status))
    throw badPayload(`'${action}' needs 'Status', the opportunity's new status reason (Edm.Int32).`);
  if (!isRecord(close))
    throw badPayload(`'${action}' needs 'OpportunityClose', the opportunity close activity (an object).`);
  if (close["opportunityid@odata.bind"] === undefined)
    throw badPayload(
      `'OpportunityClose' must name the opportunity it closes with 'opportunityid@odata.bind'.`,
    );
  return { status, close };
}

function checkReason(opportunities: TableInfo, action: ActionName, status: number): void {
  const reason = opportunities.byName.get("statuscode")?.options?.find((o) => o.value === status);
  if (reason?.state !== ACTIONS[action].state)
    throw new DataverseHttpError(
      400,
      ERROR_CODES.validation,
      `${status} is not a valid status code for state code ${ACTIONS[action].label} on opportunity.`,
    );
}

function closeOpportunity(call: RouteCall, action: ActionName): void {
  if (call.req.method !== "POST") throw methodNotAllowed(call.req.method);
  const { ctx } = call;
  const opportunities = infoByLogicalName("opportunity");
  const closes = infoByLogicalName("opportunityclose");
  if (!opportunities || !closes) throw new Error("The model has no opportunity or opportunityclose table");
  const { status, close } = readParameters(action, parseJsonBody(call.req.body));
  checkReason(opportunities, action, status);
  const ref = resolveReference(
    ctx,
    "opportunity",
    close["opportunityid@odata.bind"],
    "opportunityid@odata.bind",
  );
  const existing = ctx.store.getById(opportunities, ref.id);
  if (!existing) throw recordNotFound("opportunity", ref.id);
  demand(ctx.access, opportunities, "Write", existing);
  if (existing["statecode"] !== 0)
    throw new DataverseHttpError(
      400,
      ERROR_CODES.validation,
      `The opportunity ${ref.id} is already closed (state ${String(existing["statecode"])}); reopen it before closing it again.`,
    );
  const closeId = createRecord(ctx, closes, close, { row: { statecode: 1 }, byMessage: true });
  const written = ctx.store.getById(closes, closeId) ?? {};
  ctx.store.update(opportunities, ref.id, closedColumns(call, existing, written, status, action));
}

function closedColumns(call: RouteCall, existing: Row, close: Row, status: number, action: ActionName): Row {
  const now = isoSeconds(call.ctx.now());
  const end = typeof close["actualend"] === "string" ? close["actualend"] : now;
  return {
    statecode: ACTIONS[action].state,
    statuscode: status,
    actualclosedate: end.slice(0, 10),
    actualvalue:
      typeof close["actualrevenue"] === "number" ? close["actualrevenue"] : (existing["actualvalue"] ?? null),
    modifiedon: now,
    versionnumber: call.ctx.store.nextVersion(),
  };
}

/** The routes, by the path after the service root. */
export const OPPORTUNITY_ACTION_ROUTES: [string, (call: RouteCall) => void][] = (
  Object.keys(ACTIONS) as ActionName[]
).map((name) => [name, (call: RouteCall) => closeOpportunity(call, name)]);
