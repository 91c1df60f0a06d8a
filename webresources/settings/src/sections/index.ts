// The settings page's sections, one component each, in page order.
export { CadenceSection } from "./CadenceSection";
export { DataSection } from "./DataSection";
export { FeaturesSection } from "./FeaturesSection";
export { GradesSection } from "./GradesSection";
export { PrivacySection } from "./PrivacySection";
export type { SectionProps } from "./types";
export { WeightsSection } from "./WeightsSection";
export { WhoKnowsWhomSection } from "./WhoKnowsWhomSection";
