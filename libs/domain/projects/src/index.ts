export { createProjectsService, listVisibleProjectIds, loadVisibleProject } from "./projects.service";
export type { ProjectsService } from "./projects.service";
