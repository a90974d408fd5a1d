import type { ProjectDto } from "@devflow/contracts";
import Link from "next/link";
import { countOf, timeAgo } from "../common/format";
import accessStyles from "./access/access.module.css";
import { PrivateBadge } from "./access/PrivateBadge";

export function ProjectCard({ project, href }: { project: ProjectDto; href: string }) {
  return (
    <Link href={href} className="project-card" data-testid="project-card">
      <div className="project-card__top">
        <span className="project-card__name">{project.name}</span>
        <span className={accessStyles.actions}>
          {project.visibility === "private" && <PrivateBadge />}
          <span className="key-chip">{project.key}</span>
        </span>
      </div>
      <p className="project-card__description">{project.description || "No description"}</p>
      <p className="project-card__meta">
        {countOf(project.documentCount, "document")} · updated {timeAgo(project.updatedAt)}
      </p>
    </Link>
  );
}
