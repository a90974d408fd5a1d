"use client";

import type { MyOrganizationDto, SessionDto } from "@devflow/contracts";
import { errorMessage } from "@devflow/web-data-access";
import { Alert, Menu, MenuHeading, MenuItem, MenuSeparator, RoleBadge, Skeleton } from "@devflow/web-ui";
import { useState } from "react";
import { initialOf } from "../common/format";
import { CheckIcon, ChevronUpDownIcon, PlusIcon } from "../common/icons";
import { CreateOrganizationDialog } from "./CreateOrganizationDialog";
import { useOpenOrganization } from "./use-open-organization";

export interface OrganizationSwitcherProps {
  session: SessionDto | undefined;
  /** The organization in the URL, when the user belongs to it. */
  current: MyOrganizationDto | undefined;
}

/** The organization menu at the top of the sidebar: every organization with the user's role, and "Create organization". */
export function OrganizationSwitcher({ session, current }: OrganizationSwitcherProps) {
  const [isCreating, setIsCreating] = useState(false);
  const [openOrganization, { error }] = useOpenOrganization();

  if (!session) {
    return (
      <div className="ui-menu__trigger" aria-hidden>
        <Skeleton width={28} height={28} />
        <Skeleton width="60%" height={14} />
      </div>
    );
  }

  return (
    <>
      <Menu
        label={current ? `Organization: ${current.name}. Switch organization` : "Switch organization"}
        testId="org-switcher"
        trigger={
          <>
            <span className="org-mark">{initialOf(current?.name ?? "?")}</span>
            <span className="org-trigger__text">
              <span className="org-trigger__name">{current?.name ?? "Choose an organization"}</span>
              {current && <span className="org-trigger__role">{current.role}</span>}
            </span>
            <ChevronUpDownIcon className="chevron" />
          </>
        }
      >
        <MenuHeading>Organizations</MenuHeading>
        {session.organizations.map((organization) => (
          <MenuItem
            key={organization.id}
            testId="org-option"
            isSelected={organization.id === current?.id}
            onSelect={() => void openOrganization(organization).catch(() => {})}
          >
            <span className="org-mark" style={{ width: 22, height: 22, fontSize: 11 }}>
              {initialOf(organization.name)}
            </span>
            <span className="menu-item__grow">{organization.name}</span>
            <RoleBadge role={organization.role} />
            {organization.id === current?.id && <CheckIcon />}
          </MenuItem>
        ))}
        <MenuSeparator />
        <MenuItem testId="create-organization" onSelect={() => setIsCreating(true)}>
          <PlusIcon />
          Create organization
        </MenuItem>
      </Menu>
      {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
      <CreateOrganizationDialog
        isOpen={isCreating}
        onClose={() => setIsCreating(false)}
        onCreated={async (organization) => {
          setIsCreating(false);
          await openOrganization(organization).catch(() => {});
        }}
      />
    </>
  );
}
