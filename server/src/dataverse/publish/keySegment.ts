/**
 * An alternate-key segment, `rp_key='abc'` or `a='x',b=2`: string values quoted with single quotes
 * doubled, as OData literals require, so no value can end the literal early.
 */
export function keySegment(key: Record<string, string | number>): string {
  return Object.entries(key)
    .map(([k, v]) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(k)) throw new Error(`Not a column name: ${k}`);
      return typeof v === "number" ? `${k}=${v}` : `${k}='${v.replace(/'/g, "''")}'`;
    })
    .join(",");
}
