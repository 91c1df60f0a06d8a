import { domainOf } from "../../core/address";
import type { Directory } from "../../core/directory";
import type { ColleagueTie, ConnectionInsight, Evidence, RecordInsight } from "../../core/insights";
import { choiceValue, rp_connection } from "../model";
import { type DesiredRow, desiredRow, isGuid, type LookupValue, rowKey, type Scalar } from "./desiredRow";

const lookup = (table: string, id: string | undefined): LookupValue | null =>
  isGuid(id) ? { table, id } : null;

function evidenceColumns(e: Evidence): Record<string, Scalar> {
  return {
    rp_emailssent: e.counts.email.out,
    rp_emailsreceived: e.counts.email.in,
    rp_meetingssent: e.counts.meeting.out,
    rp_meetingsreceived: e.counts.meeting.in,
    rp_phonecallsmade: e.counts.call.out,
    rp_phonecallsreceived: e.counts.call.in,
    rp_daysintouch: e.daysInTouch,
    rp_firstinteractionon: e.first.at,
    rp_lastinteractionon: e.last.at,
    rp_lastinteractiontype: choiceValue("activityType", e.last.kind),
    rp_lastinteractiondirection: choiceValue("direction", e.last.direction),
  };
}

/** The columns every tie row has: whose tie, to what, how strong, on what evidence. */
function tieColumns(
  t: Pick<ConnectionInsight, "colleague" | "strength" | "band" | "raw" | "evidence">,
  targetType: "person" | "colleague",
  target: string,
): Record<string, Scalar> {
  return {
    rp_introduceremail: t.colleague,
    rp_targettype: choiceValue("targetType", targetType),
    rp_target: target,
    rp_strength: Math.round(t.strength),
    rp_band: choiceValue("band", t.band),
    rp_score: t.raw,
    ...evidenceColumns(t.evidence),
  };
}

/** Who knows whom, person to person: one rp_connection row per (colleague, external person). */
export function personConnectionRow(c: ConnectionInsight, directory: Directory): DesiredRow {
  const user = directory.userOf(c.colleague);
  const contact = directory.contactsOf(c.external)[0];
  const lead = directory.leadsOf(c.external)[0];
  const account = contact?.accountId ?? directory.accountOfDomain(domainOf(c.external))?.id;
  const targetName = contact?.name ?? lead?.name ?? c.external;
  return desiredRow(
    rp_connection,
    rowKey("connection", c.colleague, "person", c.external),
    {
      rp_name: `${user?.name ?? c.colleague} – ${targetName}`.slice(0, 400),
      ...tieColumns(c, "person", c.external),
    },
    {
      rp_introducerid: lookup("systemuser", user?.id),
      rp_contactid: lookup("contact", contact?.id),
      rp_leadid: lookup("lead", lead?.id),
      rp_opportunityid: null,
      rp_accountid: lookup("account", account),
    },
  );
}

/** Who knows whom, colleague to company: one row per introducer of each account. */
export function companyConnectionRows(account: RecordInsight, directory: Directory): DesiredRow[] {
  if (account.record.type !== "account") return [];
  return account.introducers.map((i) => {
    const user = directory.userOf(i.colleague);
    return desiredRow(
      rp_connection,
      rowKey("connection", i.colleague, "account", account.record.id),
      {
        rp_name: `${i.name ?? user?.name ?? i.colleague} – ${account.record.name}`.slice(0, 400),
        rp_introduceremail: i.colleague,
        rp_targettype: choiceValue("targetType", "company"),
        rp_target: account.record.name.slice(0, 320),
        rp_strength: Math.round(i.strength),
        rp_band: choiceValue("band", i.band),
        rp_score: null,
        ...evidenceColumns(i.evidence),
      },
      {
        rp_introducerid: lookup("systemuser", i.userId ?? user?.id),
        rp_contactid: null,
        rp_leadid: null,
        rp_opportunityid: null,
        rp_accountid: lookup("account", account.record.id),
      },
    );
  });
}

/**
 * Who knows whom inside the organisation: one row per (colleague, other colleague) tie, target type
 * Colleague, rp_introducerid the colleague whose tie it is and rp_colleagueid (rp_target) the other, so a
 * seller's ties are `_rp_introducerid_value eq <me> and rp_targettype eq Colleague`. Both ends are system
 * users (colleagueTiesOf lists no others).
 */
export function colleagueConnectionRow(t: ColleagueTie, directory: Directory): DesiredRow {
  const user = directory.userOf(t.colleague);
  const other = directory.userOf(t.other);
  return desiredRow(
    rp_connection,
    rowKey("connection", t.colleague, "colleague", t.other),
    {
      rp_name: `${user?.name ?? t.colleague} – ${other?.name ?? t.other}`.slice(0, 400),
      ...tieColumns(t, "colleague", t.other),
    },
    {
      rp_introducerid: lookup("systemuser", user?.id),
      rp_colleagueid: lookup("systemuser", other?.id),
      rp_contactid: null,
      rp_leadid: null,
      rp_opportunityid: null,
      rp_accountid: null,
    },
  );
}
