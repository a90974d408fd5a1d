"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import { useListProjectsInfiniteQuery } from "@devflow/web-data-access";
import { Skeleton } from "@devflow/web-ui";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { GridIcon } from "../common/icons";
import { LockIcon } from "../projects/access/icons";

/** Sidebar links: all projects, then each project. Shares its cache entry with the projects page. */
export function ProjectsNav({ organization }: { organization: MyOrganizationDto }) {
  const pathname = usePathname();
  const { data, isLoading, hasNextPage, fetchNextPage, isFetchingNextPage } = useListProjectsInfiniteQuery({
    organizationId: organization.id,
  });
  const projects = data?.pages.flatMap((page) => page.items) ?? [];
  const home = `/${organization.slug}`;

  return (
    <>
      <Link href={home} className="nav-link" aria-current={pathname === home ? "page" : undefined}>
        <GridIcon />
        All projects
      </Link>
      <div className="sidebar__heading" id="projects-nav-heading">
        Projects
      </div>
      <ul className="sidebar__list" aria-labelledby="projects-nav-heading" data-testid="projects-nav">
        {isLoading &&
          [70, 55, 62].map((width) => (
            <li key={width} className="nav-link">
              <Skeleton width={`${width}%`} height={12} />
            </li>
          ))}
        {data && projects.length === 0 && <li className="sidebar__empty">No projects yet</li>}
        {projects.map((project) => {
          const href = `/${organization.slug}/projects/${project.id}`;
          return (
            <li key={project.id}>
              <Link href={href} className="nav-link" aria-current={pathname === href ? "page" : undefined}>
                <span className="nav-link__key">{project.key}</span>
                <span className="nav-link__name">{project.name}</span>
                {project.visibility === "private" && (
                  <span aria-label="Private" title="Private">
                    <LockIcon size={12} />
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
      {hasNextPage && (
        <button type="button" className="sidebar__more" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage ? "Loading…" : "Show more projects"}
        </button>
      )}
    </>
  );
}
