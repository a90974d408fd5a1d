"use client";

import type { ProjectDto } from "@devflow/contracts";
import { useGetProjectQuery } from "@devflow/web-data-access";
import { Button } from "@devflow/web-ui";
import { useState } from "react";
import styles from "./access.module.css";
import { LockIcon, PeopleIcon } from "./icons";
import { PrivateBadge } from "./PrivateBadge";
import { ShareProjectDialog } from "./ShareProjectDialog";

export interface ProjectAccessActionsProps {
  organizationId: string;
  /** As the page loaded it; the cached project query keeps the badge current after a save. */
  project: ProjectDto;
  /** Decided on the server (admins, owners, the project's creator). */
  canManage: boolean;
}

/** The project page's "Private" badge and, for those who may change it, the Share button. */
export function ProjectAccessActions({ organizationId, project: initial, canManage }: ProjectAccessActionsProps) {
  const [isSharing, setIsSharing] = useState(false);
  const { data: project = initial } = useGetProjectQuery({ organizationId, projectId: initial.id });
  const isPrivate = project.visibility === "private";

  return (
    <span className={styles.actions}>
      {isPrivate && <PrivateBadge />}
      {canManage && (
        <>
          <Button onClick={() => setIsSharing(true)} aria-haspopup="dialog" data-testid="share-project">
            {isPrivate ? <LockIcon size={16} /> : <PeopleIcon />}
            Share
          </Button>
          <ShareProjectDialog
            organizationId={organizationId}
            projectId={project.id}
            projectName={project.name}
            isOpen={isSharing}
            onClose={() => setIsSharing(false)}
          />
        </>
      )}
    </span>
  );
}
