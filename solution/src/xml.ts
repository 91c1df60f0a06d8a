import { XMLBuilder, XMLValidator } from "fast-xml-parser";

/**
 * A small typed tree for the XML the solution is made of. Children keep their order exactly (the
 * schemas use xs:sequence in places), and fast-xml-parser's XMLBuilder serialises it (preserveOrder
 * mode), escaping text and attribute values.
 */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: (XNode | string)[];
}

export type Attrs = Record<string, string | number | boolean | undefined>;
export type Child = XNode | string | number | null | undefined | false | readonly Child[];

export function el(name: string, attrs?: Attrs | null, ...children: Child[]): XNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) a[k] = String(v);
  return { name, attrs: a, children: flatten(children) };
}

/** An element holding one text value: `<Name>value</Name>`. */
export const text = (name: string, value: string | number): XNode => el(name, null, String(value));

/** Dataverse's 0/1 flags. */
export const flag = (name: string, on: boolean): XNode => text(name, on ? "1" : "0");

/** `<displaynames><displayname description=".." languagecode="1033" /></displaynames>` and its kin. */
export const labels = (outer: string, inner: string, description: string): XNode =>
  el(outer, null, el(inner, { description, languagecode: LANGUAGE }));

export const LANGUAGE = 1033;

function flatten(children: readonly Child[]): (XNode | string)[] {
  const out: (XNode | string)[] = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) out.push(...flatten(c as readonly Child[]));
    else if (typeof c === "number") out.push(String(c));
    else out.push(c as XNode | string);
  }
  return out;
}

type Ordered = Record<string, unknown>;

function toOrdered(node: XNode): Ordered {
  const o: Ordered = {
    [node.name]: node.children.map((c) => (typeof c === "string" ? { "#text": c } : toOrdered(c))),
  };
  const attrs = Object.entries(node.attrs);
  if (attrs.length > 0) o[":@"] = Object.fromEntries(attrs.map(([k, v]) => [`@_${k}`, v]));
  return o;
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
});

/**
 * Serialise a document: UTF-8 declaration, two-space indentation, LF, final newline, no BOM (Dataverse
 * exports carry none). The result is checked for well-formedness before it is returned.
 */
export function toXml(root: XNode, declaration = true): string {
  const doc: Ordered[] = [];
  if (declaration)
    doc.push({ "?xml": [{ "#text": "" }], ":@": { "@_version": "1.0", "@_encoding": "utf-8" } });
  doc.push(toOrdered(root));
  const xml = `${(builder.build(doc) as string).trim()}\n`;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`Generated ${root.name} XML is not well-formed: ${valid.err.msg}`);
  return xml;
}
