// The host side of a model-driven form or view, for Rapport's built controls: it registers the control
// class from bundle.js, builds a ComponentFramework context whose webAPI calls go to the Web API over HTTP
// (the harness server proxies them to the local Dataverse endpoint), and renders updateView's element.
"use strict";
(function () {
  const registered = {};
  window.ComponentFramework = {
    registerControl(name, ctor) {
      registered[name] = ctor;
    },
  };

  const ENTITY_SET = {
    rp_relationshipinsight: "rp_relationshipinsights",
    rp_relationshiphistory: "rp_relationshiphistories",
    rp_connection: "rp_connections",
    rp_settings: "rp_settingses",
    rp_introduction: "rp_introductions",
    rp_introducerprofile: "rp_introducerprofiles",
    contact: "contacts",
    lead: "leads",
    account: "accounts",
    opportunity: "opportunities",
    systemuser: "systemusers",
    role: "roles",
    email: "emails",
    appointment: "appointments",
    phonecall: "phonecalls",
  };
  const API = "/api/data/v9.2/";

  /** context.webAPI over fetch, rejecting like the platform: { errorCode, message, code, status }. */
  function webApi(headers) {
    const base = {
      Accept: "application/json",
      "OData-Version": "4.0",
      Prefer: 'odata.include-annotations="*"',
      ...headers,
    };
    async function call(method, path, body) {
      const res = await fetch(API + path, {
        method,
        headers: body ? { ...base, "Content-Type": "application/json" } : base,
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const json = text ? JSON.parse(text) : {};
      if (!res.ok) {
        const code = (json.error && json.error.code) || "0x80040216";
        const err = new Error((json.error && json.error.message) || res.statusText);
        err.errorCode = parseInt(code, 16) | 0;
        err.code = code;
        err.status = res.status;
        throw err;
      }
      return { json, res };
    }
    const set = (entity) => {
      const s = ENTITY_SET[entity];
      if (!s) throw new Error(`harness: no entity set for ${entity}`);
      return s;
    };
    return {
      async retrieveRecord(entity, id, options) {
        return (await call("GET", `${set(entity)}(${id})${options || ""}`)).json;
      },
      async retrieveMultipleRecords(entity, options) {
        const { json } = await call("GET", `${set(entity)}${options || ""}`);
        return { entities: json.value || [], nextLink: json["@odata.nextLink"] };
      },
      async createRecord(entity, data) {
        const { res } = await call("POST", set(entity), data);
        const m = /\(([0-9a-f-]{36})\)/i.exec(res.headers.get("OData-EntityId") || "");
        return { id: m ? m[1] : "", entityType: entity };
      },
      async updateRecord(entity, id, data) {
        await call("PATCH", `${set(entity)}(${id})`, data);
        return { id, entityType: entity };
      },
      async deleteRecord(entity, id) {
        await call("DELETE", `${set(entity)}(${id})`);
        return { id, entityType: entity };
      },
    };
  }

  function dataset(spec) {
    const records = {};
    for (const r of spec.rows) {
      records[r.id] = {
        getRecordId: () => r.id,
        getValue: (c) => {
          const v = r.values[c];
          if (!v) return null;
          const col = spec.columns.find((x) => x.name === c);
          return col && col.dataType.startsWith("DateAndTime") && v[0] ? new Date(v[0]) : v[0];
        },
        getFormattedValue: (c) => (r.values[c] ? r.values[c][1] : ""),
        getNamedReference: () => ({ id: { guid: r.id }, etn: spec.entity, name: "" }),
      };
    }
    return {
      columns: spec.columns.map((c, i) => ({
        alias: c.name,
        order: i,
        visualSizeFactor: 120,
        isHidden: false,
        isPrimary: false,
        ...c,
      })),
      records,
      sortedRecordIds: spec.rows.map((r) => r.id),
      loading: false,
      error: false,
      errorMessage: "",
      sorting: [],
      filtering: {},
      paging: {
        totalResultCount: spec.rows.length,
        hasNextPage: false,
        hasPreviousPage: false,
        pageSize: 5000,
        firstPageNumber: 1,
        lastPageNumber: 1,
        loadNextPage() {},
        loadPreviousPage() {},
        reset() {},
        setPageSize(n) {
          this.pageSize = n;
        },
        loadExactPage() {},
      },
      getTargetEntityType: () => spec.entity,
      refresh() {},
      openDatasetItem() {},
    };
  }

  const host = {
    openForms: [],
    strings: null,
    /** Mount a built control. Returns once the element has been rendered. */
    async mount(o) {
      if (!host.strings) host.strings = await (await fetch("/strings.json")).json();
      if (!registered[`Rapport.${o.control}`]) {
        await new Promise((resolve, reject) => {
          const s = document.createElement("script");
          s.src = `/controls/${o.control}/bundle.js`;
          s.onload = resolve;
          s.onerror = reject;
          document.head.appendChild(s);
        });
      }
      const Ctor = registered[`Rapport.${o.control}`];
      const F = window.FluentUIReactv940;
      const dark = o.theme === "dark";
      const theme = dark ? F.webDarkTheme : F.webLightTheme;
      document.body.style.background = theme.colorNeutralBackground2;
      document.body.style.color = theme.colorNeutralForeground1;
      document.getElementById("host-title").textContent = o.title || o.control;
      const strings = host.strings[o.control];
      const headers = {};
      if (o.deny) headers["x-harness-deny"] = o.deny.join(",");
      if (o.denyId) headers["x-harness-deny-id"] = o.denyId;
      const parameters = o.dataset
        ? { records: dataset(o.dataset) }
        : {
            insight: {
              raw: o.insightId
                ? [{ id: o.insightId, name: "Insight", entityType: "rp_relationshipinsight" }]
                : [],
              type: "Lookup.Simple",
              getTargetEntityType: () => "rp_relationshipinsight",
              getViewId: () => "",
            },
          };
      // The width the form gives the control (o.width px; else the page's), tracked on resize as the
      // platform does once a control calls trackContainerResize(true).
      const container = document.getElementById("control");
      const main = document.getElementById("host");
      main.style.maxWidth = o.width ? "none" : "";
      container.style.width = o.width ? `${o.width}px` : "";
      let tracking = false;
      const context = {
        parameters,
        mode: {
          allocatedHeight: o.height || -1,
          allocatedWidth: container.clientWidth,
          isControlDisabled: false,
          isVisible: true,
          label: o.control,
          setControlState: () => true,
          setFullScreen: () => {},
          trackContainerResize: (on) => {
            tracking = on;
          },
        },
        resources: {
          getString: (id) => (id in strings ? strings[id] : id),
          getResource: (_i, _ok, fail) => fail(),
        },
        userSettings: {
          userId: `{${o.user.id.toUpperCase()}}`,
          userName: o.user.name,
          languageId: 1033,
          isRTL: false,
          securityRoles: o.securityRoles || [],
          getTimeZoneOffsetMinutes: () => 0,
        },
        webAPI: webApi(headers),
        navigation: {
          openForm: async (options) => {
            host.openForms.push(options);
            return { savedEntityReference: [] };
          },
        },
        fluentDesignLanguage: { tokenTheme: theme, isDarkTheme: dark, brand: {} },
        updatedProperties: [],
      };
      host.resizeObserver?.disconnect();
      window.ReactDOM.unmountComponentAtNode(container);
      const control = new Ctor();
      control.init(context, () => {}, {});
      host.resizeObserver = new ResizeObserver(() => {
        if (!tracking || context.mode.allocatedWidth === container.clientWidth) return;
        context.mode.allocatedWidth = container.clientWidth;
        context.updatedProperties = ["layout"];
        window.ReactDOM.render(control.updateView(context), container);
      });
      host.resizeObserver.observe(container);
      performance.mark("rp-render-start");
      window.ReactDOM.render(control.updateView(context), container);
      performance.mark("rp-rendered");
      // First paint: the frame after the commit (rAF runs before paint; the timeout after it).
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      performance.mark("rp-painted");
      return {
        renderMs: performance.measure("rp-render", "rp-render-start", "rp-rendered").duration,
        paintMs: performance.measure("rp-paint", "rp-render-start", "rp-painted").duration,
      };
    },
  };
  window.rapportHost = host;
})();
