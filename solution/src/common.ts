/**
 * Version every component says it was introduced in. Components are matched by name or id on upgrade;
 * this value is informational, and a fixed one keeps the generated XML stable across releases.
 */
export const INTRODUCED = "1.0.0.0";
