/**
 * The model-driven host's side of a virtual PCF control: the registry the built bundles register into,
 * and the context objects (parameters, mode, resources, userSettings, webAPI, navigation, theme) the
 * platform hands to init and updateView.
 */
import type { Theme } from "@fluentui/react-components";

import type { ColumnSpec } from "./spec";
import { formatted, type Row } from "./webApi";

type ControlClass = new () => ComponentFramework.ReactControl<unknown, unknown>;

const registry = new Map<string, ControlClass>();
const loading = new Map<string, Promise<ControlClass>>();

// pcf-scripts' bundles call ComponentFramework.registerControl("<namespace>.<constructor>", class).
(window as unknown as { ComponentFramework: unknown }).ComponentFramework = {
  registerControl(name: string, ctor: ControlClass) {
    registry.set(name, ctor);
  },
};

/** Loads a built control's bundle once and returns its class. */
export function loadControl(name: string): Promise<ControlClass> {
  const known = registry.get(`Rapport.${name}`);
  if (known) return Promise.resolve(known);
  let p = loading.get(name);
  if (!p) {
    p = new Promise<ControlClass>((resolve, reject) => {
      const s = document.createElement("script");
      s.src = `/controls/${encodeURIComponent(name)}/bundle.js`;
      s.onload = () => {
        const c = registry.get(`Rapport.${name}`);
        if (c) resolve(c);
        else reject(new Error(`${name}: the bundle registered no control Rapport.${name}`));
      };
      s.onerror = () => reject(new Error(`${name}: its bundle did not load`));
      document.head.appendChild(s);
    });
    loading.set(name, p);
    p.catch(() => loading.delete(name));
  }
  return p;
}

let strings: Promise<Record<string, Record<string, string>>> | undefined;
/** Each control's resx strings (served from the built controls). */
export function controlStrings(): Promise<Record<string, Record<string, string>>> {
  strings ??= fetch("/controls/strings.json", { credentials: "same-origin" }).then((r) => {
    if (!r.ok) throw new Error(`control strings: ${r.status}`);
    return r.json() as Promise<Record<string, Record<string, string>>>;
  });
  return strings;
}

export interface HostUser {
  id: string;
  name: string;
  /** Security role ids (as the Web API gives them), for the controls' userSettings.securityRoles. */
  roles?: readonly string[];
}

export interface ContextOptions {
  control: string;
  parameters: Record<string, unknown>;
  strings: Record<string, string>;
  user: HostUser;
  webAPI: ComponentFramework.WebApi;
  openForm: (entityName: string, entityId: string) => void;
  theme: Theme;
  dark: boolean;
  width: number;
  height: number;
}

/** The context object of a virtual control. */
export function controlContext(o: ContextOptions): ComponentFramework.Context<unknown> {
  const context = {
    parameters: o.parameters,
    mode: {
      allocatedHeight: o.height,
      allocatedWidth: o.width,
      isControlDisabled: false,
      isVisible: true,
      label: o.control,
      setControlState: () => true,
      setFullScreen: () => undefined,
      trackContainerResize: () => undefined,
    },
    resources: {
      getString: (id: string) => (id in o.strings ? o.strings[id] : id),
      getResource: (_id: string, _ok: unknown, fail: () => void) => fail(),
    },
    userSettings: {
      // The platform gives the id braced and upper-case.
      userId: `{${o.user.id.toUpperCase()}}`,
      userName: o.user.name,
      languageId: 1033,
      isRTL: false,
      // Braced and upper-case, as the platform gives them (like userId).
      securityRoles: (o.user.roles ?? []).map((id) => `{${id.toUpperCase()}}`),
      // The browser's own zone: the preview user's personal setting.
      getTimeZoneOffsetMinutes: (d?: Date) => -(d ?? new Date()).getTimezoneOffset(),
    },
    webAPI: o.webAPI,
    navigation: {
      openForm: async (options: { entityName: string; entityId?: string }) => {
        if (options.entityId) o.openForm(options.entityName, options.entityId);
        return { savedEntityReference: [] };
      },
    },
    fluentDesignLanguage: { tokenTheme: o.theme, isDarkTheme: o.dark, brand: {} },
    updatedProperties: [],
  };
  return context as unknown as ComponentFramework.Context<unknown>;
}

/** A lookup property bound to one record (a form field), or empty. */
export function lookupParameter(id: string | undefined, entityType: string, name = "") {
  return {
    raw: id ? [{ id, name, entityType }] : [],
    type: "Lookup.Simple",
    getTargetEntityType: () => entityType,
    getViewId: () => "",
  };
}

/** The value a dataset gives for a column: numbers, dates, choices as numbers, lookups as references. */
function cellValue(row: Row, c: ColumnSpec): unknown {
  const holder = c.expand ? (row[c.expand] as Row | null | undefined) : row;
  if (!holder) return null;
  const v = holder[c.property];
  if (v === null || v === undefined) return null;
  if (c.dataType.startsWith("DateAndTime") && typeof v === "string") return new Date(v);
  if (c.dataType.startsWith("Lookup"))
    return { id: { guid: String(v) }, name: formatted(holder, c.property) ?? "" };
  return v;
}

function cellText(row: Row, c: ColumnSpec): string {
  const holder = c.expand ? (row[c.expand] as Row | null | undefined) : row;
  if (!holder) return "";
  const v = holder[c.property];
  if (v === null || v === undefined) return "";
  return formatted(holder, c.property) ?? String(v);
}

/** The rows of a view as a PCF dataset: which table, its id column, the view's columns and the rows. */
export interface DataSetSource {
  entity: string;
  idColumn: string;
  columns: ColumnSpec[];
  rows: Row[];
  loading?: boolean;
  /** The view's query failed (a missing privilege, say): the platform hands the grid its message. */
  errorMessage?: string;
}

/** One row as a dataset record: its id, raw and formatted values by column, and a reference to open it. */
function dataSetRecord(entity: string, columns: ColumnSpec[], row: Row, id: string) {
  const column = (name: string) => columns.find((x) => x.name === name);
  return {
    getRecordId: () => id,
    getValue: (name: string) => {
      const c = column(name);
      return c ? cellValue(row, c) : null;
    },
    getFormattedValue: (name: string) => {
      const c = column(name);
      return c ? cellText(row, c) : "";
    },
    getNamedReference: () => ({ id: { guid: id }, etn: entity, name: "" }),
  };
}

/** All rows on one page: nothing before or after it. */
const ONE_PAGE = {
  hasNextPage: false,
  hasPreviousPage: false,
  pageSize: 5000,
  firstPageNumber: 1,
  lastPageNumber: 1,
  loadNextPage: () => undefined,
  loadPreviousPage: () => undefined,
  reset: () => undefined,
  setPageSize: () => undefined,
  loadExactPage: () => undefined,
};

/** The rows of a view as a PCF dataset (ComponentFramework.PropertyTypes.DataSet), all on one page. */
export function dataSet(source: DataSetSource) {
  const { entity, idColumn, columns, rows, loading = false, errorMessage } = source;
  const records: Record<string, unknown> = {};
  const ids: string[] = [];
  for (const row of rows) {
    const id = String(row[idColumn]);
    ids.push(id);
    records[id] = dataSetRecord(entity, columns, row, id);
  }
  return {
    columns: columns.map((c, i) => ({
      name: c.name,
      displayName: c.displayName,
      dataType: c.dataType,
      alias: c.name,
      order: i,
      visualSizeFactor: c.width,
      isHidden: c.hidden === true,
      isPrimary: c.isPrimary,
    })),
    records,
    sortedRecordIds: ids,
    loading,
    error: errorMessage !== undefined,
    errorMessage: errorMessage ?? "",
    sorting: [],
    filtering: {},
    paging: { totalResultCount: ids.length, ...ONE_PAGE },
    getTargetEntityType: () => entity,
    refresh: () => undefined,
    openDatasetItem: () => undefined,
  };
}
