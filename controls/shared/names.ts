import { isPrivilegeError, type WebApi } from "./webapi";

/**
 * Names from the directory for e-mail addresses, wherever the CRM knows the person: colleagues by their
 * user's full name (systemuser.internalemailaddress), people outside by their contact's or lead's full name
 * (emailaddress1). One query per table for a page of addresses; a table the user may not read names nobody.
 */
export interface NameSource {
  table: string;
  address: string;
  name: string;
}

export const COLLEAGUE_NAMES: NameSource = {
  table: "systemuser",
  address: "internalemailaddress",
  name: "fullname",
};
export const PEOPLE_NAMES: readonly NameSource[] = [
  { table: "contact", address: "emailaddress1", name: "fullname" },
  { table: "lead", address: "emailaddress1", name: "fullname" },
];

/** At most this many addresses go into one query (the filter stays far below URL and term limits). */
export const NAMES_PER_QUERY = 50;

/**
 * An OData string literal for a query option: quotes doubled (O'Brien → 'O''Brien'), then percent-encoded,
 * so `+`, `&` or `#` in an address stay part of the literal instead of ending the option.
 */
export function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

/** The filter naming these addresses: `col eq 'a' or col eq 'b'`. */
export function addressFilter(column: string, addresses: readonly string[]): string {
  return addresses.map((a) => `${column} eq ${odataString(a)}`).join(" or ");
}

type Row = Record<string, unknown>;

async function namesFrom(api: WebApi, src: NameSource, addresses: string[]): Promise<Row[]> {
  try {
    const res = await api.retrieveMultipleRecords(
      src.table,
      `?$select=${src.name},${src.address}&$filter=${addressFilter(src.address, addresses)}`,
    );
    return res.entities as Row[];
  } catch (e) {
    // Names are a courtesy: without the privilege the address is shown, as before.
    if (isPrivilegeError(e)) return [];
    throw e;
  }
}

/**
 * Directory names by lower-case address for `addresses` (deduplicated, empty ones dropped). The first
 * source that names an address wins; an address no source names is absent from the map.
 */
export async function directoryNames(
  api: WebApi,
  addresses: readonly string[],
  sources: readonly NameSource[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const names = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += NAMES_PER_QUERY) {
    const chunk = wanted.slice(i, i + NAMES_PER_QUERY);
    const answers = await Promise.all(sources.map((src) => namesFrom(api, src, chunk)));
    answers.forEach((rows, k) => {
      const src = sources[k]!;
      for (const r of rows) {
        const address = typeof r[src.address] === "string" ? (r[src.address] as string).toLowerCase() : "";
        const name = typeof r[src.name] === "string" ? (r[src.name] as string).trim() : "";
        if (address && name && chunk.includes(address) && !names.has(address)) names.set(address, name);
      }
    });
  }
  return names;
}
