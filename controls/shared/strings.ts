/**
 * Localised strings: every control reads its strings from strings/<Name>.1033.resx through
 * context.resources.getString (the manifest lists the resx). Placeholders are `{name}`.
 */
export type GetString = (id: string) => string;

export interface Strings {
  (key: string, params?: Record<string, string | number>): string;
}

export function strings(getString: GetString): Strings {
  return (key, params) => {
    const raw = getString(key);
    // A host without the resource answers with the key itself or nothing; show the key rather than a gap.
    const text = raw === undefined || raw === null || raw === "" ? key : raw;
    return params ? fill(text, params) : text;
  };
}

/** Replace `{name}` placeholders; unknown placeholders are left as they are. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
  );
}

/** Keys every control uses (each control's resx must define them; a unit test checks). */
export const SHARED_KEYS = [
  "loading",
  "errorTitle",
  "retry",
  "notEnoughInfo",
  "noAccess",
  "showTable",
  "byUs",
  "byThem",
  "status_good",
  "status_fair",
  "status_poor",
  "status_notEnoughInfo",
  "status_notScored",
  "trend_improving",
  "trend_steady",
  "trend_declining",
  "trend_notEnoughInfo",
  "kind_email",
  "kind_meeting",
  "kind_call",
  "kind_task",
  "dir_out",
  "dir_in",
  "band_strong",
  "band_moderate",
  "band_weak",
] as const;
