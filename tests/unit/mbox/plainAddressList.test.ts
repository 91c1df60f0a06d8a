import { addressParser } from "postal-mime";

import type { MailboxRef } from "../../../server/src/core/interaction";
import { parseAddressHeader, plainAddressList } from "../../../server/src/sources/mbox/headerBlock";

interface Parsed {
  name?: string;
  address?: string;
  group?: Parsed[];
}

/** What the full parser path of parseAddressHeader gives (groups flattened as it does). */
function reference(value: string): MailboxRef[] {
  const out: MailboxRef[] = [];
  const walk = (list: Parsed[]): void => {
    for (const a of list) {
      if (a.group) {
        if (a.group.length === 0) out.push({ name: a.name ?? "", address: a.name ?? "" });
        else walk(a.group);
      } else out.push({ name: a.name ?? "", address: a.address ?? "" });
    }
  };
  walk(addressParser(value, { flatten: false }) as Parsed[]);
  return out;
}

describe("plainAddressList (fast path before addressParser)", () => {
  const plain = [
    "a@b.com",
    "john.doe@enron.com, jane_roe@enron.com",
    "  a@b.com ,\tc-d+e@x.y.org  ",
    "o'neal@enron.com,b&c@enron.com",
    "A.B@Enron.COM",
    "a@b.com,,c@d.com",
    "a@b.com, ",
    ",",
    "1@2",
  ];
  it.each(plain)("gives what addressParser gives for %j", (v) => {
    expect(plainAddressList(v)).toEqual(reference(v));
  });

  const notPlain = [
    "John <john@x.com>",
    '"Doe, John" <john@x.com>',
    "john@x.com (John)",
    "undisclosed-recipients:;",
    "a@b.com; c@d.com",
    "a@b.com c@d.com",
    "john",
    "@x.com",
    "a@",
    "a@b@c.com",
    "=?utf-8?q?a?=@b.com",
    "a\\b@c.com",
    "j\u00f6rg@x.com",
    "a@b.com\u0001",
    "<a@b.com>",
  ];
  it.each(notPlain)("leaves %j to the full parser", (v) => {
    expect(plainAddressList(v)).toBeUndefined();
  });

  it("parseAddressHeader gives the same lists either way, frozen, and shared once a text recurs", () => {
    for (const v of [...plain, ...notPlain]) {
      const got = parseAddressHeader(v);
      expect(got).toEqual(v ? reference(v) : []);
      expect(Object.isFrozen(got)).toBe(true);
      // A text is cached at its second sighting (most texts occur once: see parseAddressHeader).
      const again = parseAddressHeader(v);
      expect(again).toEqual(got);
      expect(parseAddressHeader(v)).toBe(again);
    }
  });
});
