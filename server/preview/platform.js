// The global names a model-driven app gives its platform libraries, which pcf-scripts' bundles refer to.
window.Reactv16 = window.React;
window.ReactDOMv16 = window.ReactDOM;
