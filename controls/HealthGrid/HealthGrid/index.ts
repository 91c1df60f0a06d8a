import * as React from "react";

import { formatter, localeOf } from "../../shared/format";
import { type Strings, strings } from "../../shared/strings";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { HealthGrid as Grid, type HealthGridProps } from "./HealthGrid";
import { gridModel, PAGE_SIZE } from "./model";

/**
 * The health grid for views of contacts, leads, opportunities, accounts and insights. The only file that
 * knows PCF: it maps the dataset to a plain model (model.ts) and renders it.
 */
export class HealthGrid implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private t?: Strings;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.t = strings((id) => context.resources.getString(id));
    context.mode.trackContainerResize(true);
    const paging = context.parameters.records.paging;
    if (paging && paging.pageSize !== PAGE_SIZE) paging.setPageSize(PAGE_SIZE);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const ds = context.parameters.records;
    const user = context.userSettings;
    const props: HealthGridProps = {
      model: gridModel(ds),
      t: this.t ?? strings((id) => context.resources.getString(id)),
      f: formatter(localeOf(user.languageId), (d) => user.getTimeZoneOffsetMinutes(d)),
      theme: context.fluentDesignLanguage,
      rtl: user.isRTL,
      height: context.mode.allocatedHeight > 0 ? context.mode.allocatedHeight : 520,
      onOpen: (row) => void context.navigation.openForm({ entityName: row.entityName, entityId: row.id }),
      onLoadMore: () => ds.paging.loadNextPage(),
    };
    return React.createElement(Grid, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // The platform unmounts the React tree; nothing else is held.
  }
}
