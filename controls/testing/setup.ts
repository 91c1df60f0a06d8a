import "@testing-library/jest-dom";

// jsdom has no ResizeObserver (Fluent's MessageBar uses one to reflow); browsers and the e2e run do.
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
if (!("ResizeObserver" in window))
  Object.defineProperty(window, "ResizeObserver", { value: NoopResizeObserver, writable: true });
