/**
 * @rapport/model: the Dataverse tables, columns, choices and roles Rapport reads and writes, and the JSON
 * shapes stored in its columns, described once. The server, the solution generator, the PCF controls, the
 * settings page and the preview import this package. It is pure TypeScript (no Node modules) and has no
 * side effects, so a bundle keeps only the constants it uses.
 */
export * from "./types";
export * from "./choices";
export * from "./rapportTables";
export * from "./crmTables";
export * from "./securityTables";
export * from "./roles";
export * from "./wire";
export * from "./generated/tables";
export * from "./allTables";
