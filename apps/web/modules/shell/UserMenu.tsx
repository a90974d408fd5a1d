"use client";

import type { UserDto } from "@devflow/contracts";
import { useSignOutMutation } from "@devflow/web-data-access";
import { Avatar, Menu, MenuItem } from "@devflow/web-ui";

/** The signed-in user at the bottom of the sidebar, with Sign out. */
export function UserMenu({ user }: { user: UserDto }) {
  const [signOut] = useSignOutMutation();

  async function onSignOut() {
    await signOut()
      .unwrap()
      .catch(() => {});
    // A full page load, not a client navigation: it drops the whole store, so nothing cached for this
    // user survives, and no mounted query refetches (and fails) on the way out.
    window.location.assign("/sign-in");
  }

  return (
    <Menu
      label={`Account: ${user.name}`}
      placement="above"
      testId="user-menu"
      trigger={
        <>
          <Avatar name={user.name} imageUrl={user.avatarUrl} size={30} />
          <span className="user-trigger__text">
            <span className="user-trigger__name">{user.name}</span>
            <span className="user-trigger__email">{user.email}</span>
          </span>
        </>
      }
    >
      <MenuItem testId="sign-out" onSelect={onSignOut}>
        Sign out
      </MenuItem>
    </Menu>
  );
}
