import type { Rng } from "./fuzz";

/**
 * Generates mbox text shaped like real exports (the bundled Enron sample's headers), with the odd corners
 * real mail has: encoded words, groups, comments, folded lines, bare addresses, odd dates, automated mail.
 * Every message it writes is counted, so a test can check that each one is read, skipped or counted.
 */
export class MailGen {
  /** Messages written: one per separator line. */
  messages = 0;
  constructor(private readonly rng: Rng) {}

  address(): string {
    const r = this.rng;
    const local = r.pick([
      "jeff.dasovich",
      "k.lay",
      "sally_beck",
      "o'neal",
      "a+b",
      "x",
      "very.long.name.here",
    ]);
    const domain = r.pick([
      "enron.com",
      "velaw.com",
      "aol.com",
      "ect.enron.com",
      "xn--bcher-kva.example",
      "a.b.c.d.org",
    ]);
    return `${local}@${domain}`;
  }

  mailbox(): string {
    const r = this.rng;
    const addr = this.address();
    switch (r.int(0, 6)) {
      case 0:
        return addr;
      case 1:
        return `<${addr}>`;
      case 2:
        return `"${r.pick(["Lay, Kenneth", 'O\'Neal \\"Shaq\\"', "Ünïcode Näme", ""])}" <${addr}>`;
      case 3:
        return `${r.pick(["Kenneth Lay", "=?utf-8?B?w5xuaWNvZGU=?=", "=?iso-8859-1?Q?J=F6rg?="])} <${addr}>`;
      case 4:
        return `${addr} (${r.pick(["Kenneth Lay", "nested (comment)", ""])})`;
      case 5:
        return `${r.pick(["undisclosed-recipients", "team"])}:${r.chance(0.5) ? addr : ""};`;
      default:
        return r.pick([
          "",
          "<>",
          "not an address",
          "@",
          "a@",
          "@b.com",
          "<<a@b.com>>",
          '"unterminated <a@b.com>',
        ]);
    }
  }

  list(max: number): string {
    const n = this.rng.int(1, max);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(this.mailbox());
    return parts.join(this.rng.pick([", ", ",", ",\n\t", " , "]));
  }

  date(): string {
    const r = this.rng;
    if (r.chance(0.7)) {
      return `${r.pick(["Mon", "Fri"])}, ${r.int(1, 28)} ${r.pick(["Jan", "Oct", "Dec"])} ${r.pick([2000, 2001])} ${r.int(0, 23)}:${String(r.int(0, 59)).padStart(2, "0")}:00 ${r.pick(["-0700 (PDT)", "+0000", "-0500"])}`;
    }
    return r.pick([
      `${r.pick(["Mon", "Fri", "Xyz"])}, ${r.int(0, 32)} ${r.pick(["Jan", "Oct", "Dec", "Foo"])} ${r.pick([2000, 2001, 1969, 99, 10000])} ${r.int(0, 25)}:${String(r.int(0, 61)).padStart(2, "0")}:00 ${r.pick(["-0700 (PDT)", "+0000", "GMT", "", "+9999"])}`,
      "2001-05-14T16:39:00Z",
      "",
      "yesterday",
      "Thu, 1 Jan 1970 00:00:00 +0000",
      `${r.int(1, 28)} ${r.pick(["Feb", "Mar"])} 2001 ${r.int(0, 23)}:00 -0600`,
    ]);
  }

  text(): string {
    return this.rng.pick([
      "Re: deal",
      "=?utf-8?Q?caf=C3=A9?=",
      "",
      "FW: FW: RE:",
      "\u00e9t\u00e9",
      "<script>x</script>",
    ]);
  }

  /** One header block's lines (no separator, no trailing empty line). */
  headerBlock(): string[] {
    const r = this.rng;
    const lines: string[] = [];
    if (r.chance(0.9)) lines.push(`Message-ID: <${r.int(1, 1e9)}.${r.int(1, 99)}.JavaMail.evans@thyme>`);
    if (r.chance(0.9)) lines.push(`Date: ${this.date()}`);
    if (r.chance(0.95)) lines.push(`From: ${this.mailbox()}`);
    if (r.chance(0.85)) lines.push(`To: ${this.list(r.chance(0.05) ? 60 : 4)}`);
    if (r.chance(0.3)) lines.push(`Cc: ${this.list(3)}`);
    if (r.chance(0.1)) lines.push(`Bcc: ${this.list(2)}`);
    if (r.chance(0.7)) lines.push(`Subject: ${this.text()}`);
    if (r.chance(0.05))
      lines.push(r.pick(["Auto-Submitted: auto-replied", "Precedence: bulk", "List-Id: <x.y>"]));
    if (r.chance(0.05)) lines.push(`X-Meeting-When: ${this.date()}`);
    if (r.chance(0.05)) lines.push(r.pick(["no colon here", ": no name", "Bad Name: x", "\tfolded first"]));
    if (r.chance(0.1)) lines.push("X-Folder: \\Notes Folders\\sent", "X-FileName: x.nsf");
    return lines;
  }

  /** A whole mbox: separators, header blocks, sometimes a body, LF or CRLF. */
  mbox(messages: number): string {
    const r = this.rng;
    const eol = r.chance(0.2) ? "\r\n" : "\n";
    const out: string[] = [];
    for (let i = 0; i < messages; i++) {
      out.push(`From MAILER-DAEMON Mon Apr 18 14:20:59 2022`);
      // Now and then a separator with no header at all: still a message the reader must account for.
      const block = r.chance(0.03) ? [] : this.headerBlock();
      this.messages++;
      out.push(...block, "");
      if (r.chance(0.2)) out.push(">From the body, quoted", "body line", "");
    }
    return out.join(eol);
  }
}
