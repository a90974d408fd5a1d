export { BUILT_IN_TEMPLATES, fillTemplate } from "./built-in-templates";
export type { BuiltInTemplate } from "./built-in-templates";
export { createTemplatesService } from "./templates.service";
export type { TemplatesService } from "./templates.service";
