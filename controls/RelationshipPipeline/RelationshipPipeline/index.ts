import * as React from "react";

import { formatter, localeOf } from "../../shared/format";
import { type Strings, strings } from "../../shared/strings";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { referenceDay, today } from "./layout";
import { PAGE_SIZE, pipelineModel, requestColumns } from "./model";
import { RelationshipPipeline as Pipeline, type RelationshipPipelineProps } from "./RelationshipPipeline";

/**
 * The relationship pipeline for views of open opportunities. The only file that knows PCF: it maps the
 * dataset to a plain model (model.ts) and renders the chart.
 */
export class RelationshipPipeline implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private t?: Strings;
  private asked = false;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.t = strings((id) => context.resources.getString(id));
    context.mode.trackContainerResize(true);
    const paging = context.parameters.records.paging;
    if (paging && paging.pageSize !== PAGE_SIZE) paging.setPageSize(PAGE_SIZE);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const ds = context.parameters.records;
    // The columns arrive with the dataset's first load; ask for the missing ones once, after it.
    if (!this.asked && !ds.loading && ds.columns.length > 0) this.asked = requestColumns(ds) || true;
    const user = context.userSettings;
    const offset = (d: Date) => user.getTimeZoneOffsetMinutes(d);
    const now = new Date();
    const model = pipelineModel(ds, offset(now));
    const props: RelationshipPipelineProps = {
      model,
      t: this.t ?? strings((id) => context.resources.getString(id)),
      f: formatter(localeOf(user.languageId), offset),
      theme: context.fluentDesignLanguage,
      rtl: user.isRTL,
      width: context.mode.allocatedWidth > 0 ? context.mode.allocatedWidth : 900,
      today: today(now.getTime(), offset(now)),
      asOf: referenceDay(now.getTime(), offset(now), model.asOf),
      onOpen: (deal) => void context.navigation.openForm({ entityName: deal.entityName, entityId: deal.id }),
      onLoadMore: () => ds.paging.loadNextPage(),
    };
    return React.createElement(Pipeline, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // The platform unmounts the React tree; nothing else is held.
  }
}
