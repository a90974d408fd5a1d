export { createProjectsService, loadVisibleProject } from "./projects.service";
export type { ProjectsService } from "./projects.service";
