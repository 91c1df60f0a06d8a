import type { IncomingMessage } from "node:http";

import type { LocalDataverse } from "../dataverse/local";
import { cookieOf } from "./session";

/** The cookie the preview's "Signed in as" switch sets: the systemuserid the pages act as. */
export const USER_COOKIE = "rapport_preview_user";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Who the preview's Web API requests run as. The preview key admits the browser; inside it, the user
 * chosen in "Signed in as" is a choice (as signing in as someone else would be in an org), and the local
 * endpoint then applies that user's roles. Without a choice yet (the shell reading the user list), the
 * requests run as the System Administrator.
 */
export class SignedInUsers {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly dataverse: LocalDataverse) {}

  /** The Authorization header value for this request's Web API call. */
  authorization(req: IncomingMessage): string {
    const id = cookieOf(req, USER_COOKIE)?.toLowerCase();
    if (!id || !GUID.test(id)) return `Bearer ${this.dataverse.token}`;
    let token = this.tokens.get(id);
    if (!token) this.tokens.set(id, (token = this.dataverse.tokenFor(id)));
    return `Bearer ${token}`;
  }
}
