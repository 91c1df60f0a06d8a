import * as React from "react";

import { formatter, localeOf } from "../../shared/format";
import { lookupIdOf } from "../../shared/lookup";
import { type Strings, strings } from "../../shared/strings";
import { grantAccess } from "../../shared/webapi";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { WhoKnowsWhom as View, type WhoKnowsWhomProps } from "./WhoKnowsWhom";

/**
 * Who knows whom on a contact, lead, opportunity or account form, bound to the record's
 * rp_relationshipinsightid lookup. The only file that knows PCF: it maps the context to plain props.
 */
export class WhoKnowsWhom implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private t?: Strings;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.t = strings((id) => context.resources.getString(id));
    // Re-render with the new allocatedWidth when the form column (or the phone) changes size.
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const user = context.userSettings;
    const props: WhoKnowsWhomProps = {
      insightId: lookupIdOf(context.parameters.insight.raw),
      api: context.webAPI,
      openForm: (entityName, entityId) => context.navigation.openForm({ entityName, entityId }),
      me: { id: user.userId, name: user.userName },
      roles: user.securityRoles ?? [],
      t: this.t ?? strings((id) => context.resources.getString(id)),
      f: formatter(localeOf(user.languageId), (d) => user.getTimeZoneOffsetMinutes(d)),
      theme: context.fluentDesignLanguage,
      rtl: user.isRTL,
      now: Date.now(),
      // The requester shares the request with the colleague asked, who reads and answers it.
      share: (id, userId) => grantAccess({ table: "rp_introduction", id }, userId, "ReadAccess, WriteAccess"),
      // -1 until the host knows it: then the wide layout, which CSS still reflows.
      ...(context.mode.allocatedWidth > 0 ? { width: context.mode.allocatedWidth } : {}),
    };
    return React.createElement(View, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // The platform unmounts the React tree; nothing else is held.
  }
}
