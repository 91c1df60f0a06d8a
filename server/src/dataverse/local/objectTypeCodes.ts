import { RAPPORT_TABLES } from "../model";

/**
 * Object type codes (OTC), as Dataverse's privilege errors name tables. The standard tables' codes are
 * fixed across orgs (Web API EntityType reference, ObjectTypeCode); custom tables get codes from 10000
 * up in the order an org creates them: Rapport's tables get them here in the model's order.
 */
const STANDARD: Record<string, number> = {
  account: 1,
  contact: 2,
  opportunity: 3,
  lead: 4,
  systemuser: 8,
  team: 9,
  activityparty: 135,
  role: 1036,
  teammembership: 23,
  systemuserroles: 15,
  teamroles: 40,
  appointment: 4201,
  email: 4202,
  phonecall: 4210,
};

export function objectTypeCode(logicalName: string): number {
  const known = STANDARD[logicalName];
  if (known !== undefined) return known;
  const at = RAPPORT_TABLES.findIndex((t) => t.logicalName === logicalName);
  if (at < 0) throw new Error(`No object type code for ${logicalName}`);
  return 10_000 + at;
}
