/**
 * @rapport/model: the Dataverse tables, columns, choices and roles Rapport reads and writes, and the JSON
 * shapes stored in its columns, described once. The server, the solution generator, the PCF controls, the
 * settings page and the preview import this package. It is pure TypeScript (no Node modules) and has no
 * side effects, so a bundle keeps only the constants it uses.
 */
export * from "./allTables";
export * from "./choices";
export * from "./crmTables";
export * from "./generated/tables";
export * from "./introductionPaths";
export * from "./rapportTables";
export * from "./roles";
export * from "./salesTables";
export * from "./securityTables";
export * from "./types";
export * from "./wire";
