import * as React from "react";

import { formatter, localeOf } from "../../shared/format";
import { lookupIdOf } from "../../shared/lookup";
import { type Strings, strings } from "../../shared/strings";
import type { WebApi } from "../../shared/webapi";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { RelationshipAnalytics as Panel, type RelationshipAnalyticsProps } from "./RelationshipAnalytics";

/**
 * The relationship analytics panel on a record's form, bound to its rp_relationshipinsightid lookup.
 * This is the only file that knows PCF: it maps the context to plain props.
 */
export class RelationshipAnalytics implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private t?: Strings;
  private api?: WebApi;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.t = strings((id) => context.resources.getString(id));
    this.api = context.webAPI;
    // Re-render with the new allocatedWidth when the form column (or the phone) changes size.
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const user = context.userSettings;
    const props: RelationshipAnalyticsProps = {
      insightId: lookupIdOf(context.parameters.insight.raw),
      api: this.api ?? context.webAPI,
      t: this.t ?? strings((id) => context.resources.getString(id)),
      f: formatter(localeOf(user.languageId), (d) => user.getTimeZoneOffsetMinutes(d)),
      theme: context.fluentDesignLanguage,
      rtl: user.isRTL,
      // -1 until the host knows it: then the wide layout, which CSS still reflows.
      ...(context.mode.allocatedWidth > 0 ? { width: context.mode.allocatedWidth } : {}),
    };
    return React.createElement(Panel, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // The platform unmounts the React tree; nothing else is held.
  }
}
