/**
 * Typed fakes of the PCF interfaces the controls use (ComponentFramework types from
 * @types/powerapps-component-framework), for tests that go through init and updateView.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { RelationshipInsightTable } from "@rapport/model";

/** The strings of a control's resx (the same file the manifest lists), keyed by name. */
export function resxStrings(control: string): Record<string, string> {
  const xml = readFileSync(
    join(__dirname, "..", control, control, "strings", `${control}.1033.resx`),
    "utf8",
  );
  const out: Record<string, string> = {};
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g))
    out[m[1]!] = unescape(m[2]!);
  return out;
}

export function fakeResources(control: string): ComponentFramework.Resources {
  const strings = resxStrings(control);
  return {
    getString: (id: string) => strings[id] ?? id,
    getResource: (_id: string, _ok: (d: string) => void, fail: () => void) => fail(),
  };
}

export function fakeUserSettings(
  over: Partial<ComponentFramework.UserSettings> = {},
): ComponentFramework.UserSettings {
  return {
    dateFormattingInfo: {} as ComponentFramework.UserSettingApi.DateFormattingInfo,
    isRTL: false,
    languageId: 1033,
    numberFormattingInfo: {} as ComponentFramework.UserSettingApi.NumberFormattingInfo,
    securityRoles: [],
    userId: "{11111111-1111-1111-1111-111111111111}",
    userName: "Test Seller",
    getTimeZoneOffsetMinutes: () => 0,
    ...over,
  };
}

export function fakeMode(): ComponentFramework.Mode {
  return {
    allocatedHeight: 600,
    allocatedWidth: 900,
    isControlDisabled: false,
    isVisible: true,
    label: "",
    setControlState: jest.fn(() => true),
    setFullScreen: jest.fn(),
    trackContainerResize: jest.fn(),
  };
}

/** An error as context.webAPI rejects with it. */
export const webApiError = (status: number, errorCode: number, message: string) =>
  Object.assign(new Error(message), { errorCode, status, code: `0x${(errorCode >>> 0).toString(16)}` });

export const privilegeError = () =>
  webApiError(403, -2147220960, "Principal user is missing prvReadrp_Connection privilege");

type Entity = ComponentFramework.WebApi.Entity;

/** An in-memory webAPI over rows per table; `deny` lists tables the user may not read. */
export class FakeWebApi implements ComponentFramework.WebApi {
  created: { entity: string; data: Entity }[] = [];
  calls: string[] = [];
  constructor(
    private rows: Record<string, Entity[]>,
    private deny: Set<string> = new Set(),
  ) {}
  private table(entity: string): Entity[] {
    if (this.deny.has(entity)) throw privilegeError();
    return this.rows[entity] ?? [];
  }
  async createRecord(entity: string, data: Entity): Promise<ComponentFramework.LookupValue> {
    this.calls.push(`create ${entity}`);
    if (this.deny.has(entity)) throw privilegeError();
    this.created.push({ entity, data });
    return { id: "22222222-2222-2222-2222-222222222222", entityType: entity };
  }
  async deleteRecord(entity: string, id: string): Promise<ComponentFramework.LookupValue> {
    return { id, entityType: entity };
  }
  async updateRecord(entity: string, id: string): Promise<ComponentFramework.LookupValue> {
    return { id, entityType: entity };
  }
  async retrieveRecord(entity: string, id: string, options?: string): Promise<Entity> {
    this.calls.push(`get ${entity}(${id})${options ?? ""}`);
    const idColumn = ["email", "appointment", "phonecall"].includes(entity) ? "activityid" : `${entity}id`;
    const row = this.table(entity).find((r) => String(r[idColumn]).toLowerCase() === id.toLowerCase());
    if (!row) throw webApiError(404, -2147220969, `${entity} With Id = ${id} Does Not Exist`);
    return row;
  }
  async retrieveMultipleRecords(
    entity: string,
    options?: string,
  ): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    this.calls.push(`list ${entity}${options ?? ""}`);
    return { entities: this.table(entity), nextLink: "" };
  }
}

export interface FakeContextParts<T> {
  parameters: T;
  control: string;
  webAPI?: ComponentFramework.WebApi;
  navigation?: Partial<ComponentFramework.Navigation>;
  userSettings?: ComponentFramework.UserSettings;
  fluentDesignLanguage?: ComponentFramework.FluentDesignState;
}

/**
 * A context with the members the controls read, each a typed fake; the members no control reads
 * (client, device, factory, formatting, utils, copilot, events) are absent, so using one fails a test.
 */
export function fakeContext<T>(parts: FakeContextParts<T>): ComponentFramework.Context<T> {
  const navigation: Partial<ComponentFramework.Navigation> = {
    openForm: jest.fn(async () => ({ savedEntityReference: [] })),
    ...parts.navigation,
  };
  const ctx: Pick<
    ComponentFramework.Context<T>,
    | "parameters"
    | "mode"
    | "resources"
    | "userSettings"
    | "webAPI"
    | "navigation"
    | "updatedProperties"
    | "fluentDesignLanguage"
  > = {
    parameters: parts.parameters,
    mode: fakeMode(),
    resources: fakeResources(parts.control),
    userSettings: parts.userSettings ?? fakeUserSettings(),
    webAPI: parts.webAPI ?? new FakeWebApi({}),
    navigation: navigation as ComponentFramework.Navigation,
    updatedProperties: [],
    fluentDesignLanguage: parts.fluentDesignLanguage,
  };
  return ctx as ComponentFramework.Context<T>;
}

/** A bound Lookup.Simple property holding one lookup (or none). */
export function lookupProperty(id: string | null): ComponentFramework.PropertyTypes.LookupProperty {
  return {
    raw: id ? [{ id, name: "Insight", entityType: RelationshipInsightTable.logicalName }] : [],
    formatted: id ? "Insight" : "",
    type: "Lookup.Simple",
    attributes: undefined,
    error: false,
    errorMessage: "",
    security: { editable: true, readable: true, secured: false },
    getTargetEntityType: () => RelationshipInsightTable.logicalName,
    getViewId: () => "",
  } as ComponentFramework.PropertyTypes.LookupProperty;
}

/** A dataset column as the platform describes a view's column (width 120, shown). */
export function datasetColumn(
  name: string,
  displayName: string,
  dataType: string,
  order: number,
  isPrimary = false,
): ComponentFramework.PropertyHelper.DataSetApi.Column {
  return {
    name,
    displayName,
    dataType,
    alias: name,
    order,
    visualSizeFactor: 120,
    isPrimary,
    isHidden: false,
  };
}

type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type DataSet = ComponentFramework.PropertyTypes.DataSet;

/** A view's dataset over the given records, all on one 5,000-row page; `over` replaces any member. */
export function fakeDataSet(
  columns: ComponentFramework.PropertyHelper.DataSetApi.Column[],
  records: EntityRecord[],
  entity: string,
  over: Partial<DataSet> = {},
): DataSet {
  return {
    columns,
    records: Object.fromEntries(records.map((r) => [r.getRecordId(), r])),
    sortedRecordIds: records.map((r) => r.getRecordId()),
    loading: false,
    error: false,
    errorMessage: "",
    paging: {
      totalResultCount: records.length,
      hasNextPage: false,
      hasPreviousPage: false,
      pageSize: 5000,
      firstPageNumber: 1,
      lastPageNumber: 1,
      loadNextPage: jest.fn(),
      loadPreviousPage: jest.fn(),
      reset: jest.fn(),
      setPageSize: jest.fn(),
      loadExactPage: jest.fn(),
    },
    addColumn: jest.fn(),
    refresh: jest.fn(),
    getTargetEntityType: () => entity,
    ...over,
  } as unknown as DataSet;
}
