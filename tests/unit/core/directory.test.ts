import { isFreeMailDomain, resolveConfig } from "../../../server/src/core/config";
import {
  Directory,
  type DirectoryData,
  EMPTY_DIRECTORY,
  type RecordScope,
} from "../../../server/src/core/directory";

const config = resolveConfig({ orgDomains: ["contoso.com"] });

const data: DirectoryData = {
  orgDomains: ["contoso-labs.org"],
  users: [
    { id: "u-ann", name: "Ann", emails: ["ann@contoso.com", "Ann.Smith@Contoso-Legacy.net"] },
    { id: "u-bob", name: "Bob", emails: ["bob@contoso.com"] },
    { id: "u-cy", name: "Cy", emails: ["cy@contoso.com", "cy@partner.net"] },
  ],
  contacts: [
    { id: "c-x", name: "X", emails: ["X@Fabrikam.com"], accountId: "a-fab" },
    { id: "c-y", name: "Y", emails: ["y@fabrikam.com", "y.home@gmail.com"], accountId: "a-fab" },
    { id: "c-eu", name: "Eu", emails: ["eu@fabrikam.eu"], accountId: "a-fab-eu" },
    { id: "c-de", name: "De", emails: ["de@fabrikam.de"], accountId: "a-fab-de" },
    { id: "c-n", name: "N", emails: ["n@northwind.com"], accountId: "a-north" },
  ],
  leads: [
    { id: "l-open", name: "Lead", emails: ["Lead@Tailspin.com"], ownerId: "u-ann", open: true },
    { id: "l-default", name: "Lead 2", emails: ["l2@tailspin.com"], ownerId: "u-bob" },
    { id: "l-closed", name: "Lead 3", emails: ["l3@tailspin.com"], ownerId: "u-bob", open: false },
    { id: "l-nobody", name: "Lead 4", emails: ["l4@tailspin.com"] },
  ],
  accounts: [
    { id: "a-fab", name: "Fabrikam", domains: ["Fabrikam.com", "gmail.com"], primaryContactId: "c-y" },
    { id: "a-fab-eu", name: "Fabrikam EU", domains: ["fabrikam.eu"], parentAccountId: "a-fab" },
    { id: "a-fab-de", name: "Fabrikam DE", domains: ["fabrikam.de"], parentAccountId: "a-fab-eu" },
    { id: "a-north", name: "Northwind", domains: ["northwind.com"], parentAccountId: "a-loop" },
    { id: "a-loop", name: "Loop", domains: [], parentAccountId: "a-north" },
  ],
  opportunities: [
    {
      id: "o-open",
      name: "Deal",
      accountId: "a-fab",
      contactIds: ["c-x"],
      ownerId: "u-bob",
      teamUserIds: ["u-cy"],
    },
    { id: "o-closed", name: "Lost", accountId: "a-north", contactIds: ["c-n"], open: false },
  ],
};
const directory = new Directory(data, config);

const seenByDomain = new Map<string, string[]>([
  ["fabrikam.com", ["x@fabrikam.com", "y@fabrikam.com", "z@fabrikam.com"]],
  ["fabrikam.eu", ["eu@fabrikam.eu", "v@fabrikam.eu"]],
  ["fabrikam.de", ["q@fabrikam.de"]],
  ["gmail.com", ["someone@gmail.com", "y.home@gmail.com"]],
  ["northwind.com", ["n@northwind.com"]],
]);
const scopes = directory.scopes(seenByDomain);
const scope = (type: RecordScope["type"], id: string): RecordScope => {
  const s = scopes.find((x) => x.type === type && x.id === id);
  if (!s) throw new Error(`no scope ${type} ${id}`);
  return s;
};
const sorted = (s: Set<string> | undefined): string[] | undefined => (s ? [...s].sort() : undefined);

describe("Directory.isInternal", () => {
  test.each([
    ["ann@contoso.com", true],
    ["someone@contoso.com", true],
    ["kim@eu.contoso.com", true],
    ["kim@a.b.contoso.com", true],
    ["lab@contoso-labs.org", true],
    ["ann.smith@contoso-legacy.net", true],
    ["cy@partner.net", true],
    ["other@partner.net", false],
    ["x@notcontoso.com", false],
    ["x@contoso.com.evil.net", false],
    ["x@fabrikam.com", false],
  ])("%s → %p", (address, internal) => {
    expect(directory.isInternal(address)).toBe(internal);
  });

  test("with no organisation domains only known users are internal", () => {
    const d = new Directory(
      { ...EMPTY_DIRECTORY, users: [{ id: "u", name: "U", emails: ["u@x.com"] }] },
      resolveConfig(),
    );
    expect(d.isInternal("u@x.com")).toBe(true);
    expect(d.isInternal("v@x.com")).toBe(false);
  });
});

describe("Directory identities", () => {
  test.each([
    ["ann.smith@contoso-legacy.net", "ann@contoso.com"],
    ["ann@contoso.com", "ann@contoso.com"],
    ["cy@partner.net", "cy@contoso.com"],
    ["x@fabrikam.com", "x@fabrikam.com"],
  ])("canonical(%s) is %s", (alias, primary) => {
    expect(directory.canonical(alias)).toBe(primary);
  });

  test("contacts and leads are found by lower-cased address", () => {
    expect(directory.contactsOf("x@fabrikam.com").map((c) => c.id)).toEqual(["c-x"]);
    expect(directory.leadsOf("lead@tailspin.com").map((l) => l.id)).toEqual(["l-open"]);
    expect(directory.userOf("ann.smith@contoso-legacy.net")?.id).toBe("u-ann");
  });

  test.each([
    ["fabrikam.com", "a-fab"],
    ["fabrikam.eu", "a-fab-eu"],
    ["gmail.com", undefined],
    ["hotmail.com", undefined],
  ])("the account of domain %s is %p (free-mail domains are never accounts)", (domain, id) => {
    expect(directory.accountOfDomain(domain)?.id).toBe(id);
  });

  test("accountTree walks subsidiaries through parent accounts and survives cycles", () => {
    expect(directory.accountTree("a-fab").map((a) => a.id)).toEqual(["a-fab", "a-fab-eu", "a-fab-de"]);
    expect(directory.accountTree("a-fab-eu").map((a) => a.id)).toEqual(["a-fab-eu", "a-fab-de"]);
    expect(
      directory
        .accountTree("a-north")
        .map((a) => a.id)
        .sort(),
    ).toEqual(["a-loop", "a-north"]);
    expect(directory.accountTree("missing")).toEqual([]);
  });
});

describe("Directory.scopes", () => {
  test("a contact is itself, lower-cased, and always scored", () => {
    expect(scope("contact", "c-x")).toMatchObject({ name: "X", scored: true });
    expect(sorted(scope("contact", "c-x").externals)).toEqual(["x@fabrikam.com"]);
    expect(scope("contact", "c-x").internals).toBeUndefined();
  });

  test("an account holds its and its subsidiaries' contacts and the people seen at their domains, never free mail", () => {
    expect(sorted(scope("account", "a-fab").externals)).toEqual([
      "de@fabrikam.de",
      "eu@fabrikam.eu",
      "q@fabrikam.de",
      "v@fabrikam.eu",
      "x@fabrikam.com",
      "y.home@gmail.com", // a contact's own address counts, even at a free-mail domain
      "y@fabrikam.com",
      "z@fabrikam.com",
    ]);
    expect(scope("account", "a-fab").externals.has("someone@gmail.com")).toBe(false);
    expect(scope("account", "a-fab").scored).toBe(true);
  });

  test("a subsidiary does not hold its parent's people", () => {
    expect(sorted(scope("account", "a-fab-eu").externals)).toEqual([
      "de@fabrikam.de",
      "eu@fabrikam.eu",
      "q@fabrikam.de",
      "v@fabrikam.eu",
    ]);
  });

  test("a lead is its own address with its owner (all their aliases) as our side", () => {
    const l = scope("lead", "l-open");
    expect(sorted(l.externals)).toEqual(["lead@tailspin.com"]);
    expect(sorted(l.internals)).toEqual(["ann.smith@contoso-legacy.net", "ann@contoso.com"]);
  });

  test("a lead without an owner counts every user", () => {
    expect(scope("lead", "l-nobody").internals).toBeUndefined();
  });

  test.each([
    ["lead", "l-open", true],
    ["lead", "l-default", true],
    ["lead", "l-closed", false],
    ["opportunity", "o-open", true],
    ["opportunity", "o-closed", false],
  ] as Array<[RecordScope["type"], string, boolean]>)(
    "%s %s scored: %p (closed records are not)",
    (type, id, scored) => {
      expect(scope(type, id).scored).toBe(scored);
    },
  );

  test("an opportunity is its contacts and its account's primary contact, with its owner and sales team", () => {
    const o = scope("opportunity", "o-open");
    expect(sorted(o.externals)).toEqual(["x@fabrikam.com", "y.home@gmail.com", "y@fabrikam.com"]);
    expect(sorted(o.internals)).toEqual(["bob@contoso.com", "cy@contoso.com", "cy@partner.net"]);
  });

  test("an opportunity without owner or team counts every user", () => {
    expect(scope("opportunity", "o-closed").internals).toBeUndefined();
    expect(sorted(scope("opportunity", "o-closed").externals)).toEqual(["n@northwind.com"]);
  });

  test("every record gets one scope", () => {
    expect(scopes).toHaveLength(
      data.contacts.length + data.accounts.length + data.leads.length + data.opportunities.length,
    );
  });
});

describe("free-mail domains", () => {
  test("sub-domains of consumer ISPs are people, not companies", () => {
    const cfg = resolveConfig({ orgDomains: ["contoso.com"] });
    expect(isFreeMailDomain("houston.rr.com", cfg)).toBe(true);
    expect(isFreeMailDomain("aol.com", cfg)).toBe(true);
    expect(isFreeMailDomain("notaol.com", cfg)).toBe(false);
    expect(isFreeMailDomain("fabrikam.com", cfg)).toBe(false);
    const d = new Directory(
      { ...EMPTY_DIRECTORY, accounts: [{ id: "a", name: "RR", domains: ["houston.rr.com"] }] },
      cfg,
    );
    expect(d.accountOfDomain("houston.rr.com")).toBeUndefined();
  });
});
